#include "coupling/bridge/calibration_record.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <stdexcept>

namespace cryocycle::coupling
{
  namespace
  {
    /// Reads with a location: every failure names the file, the line and the key path.
    class RecordReader
    {
    public:
      explicit RecordReader(std::filesystem::path file)
        : file_(std::move(file))
      {}

      [[noreturn]] void fail(const YAML::Node &node, const std::string &key, const std::string &message) const
      {
        const int line = node.IsDefined() ? node.Mark().line + 1 : 0;
        throw std::runtime_error(
          fmt::format("{}:{}: {}: {}", file_.string(), line > 0 ? std::to_string(line) : "?", key, message));
      }

      YAML::Node child(const YAML::Node &parent, const std::string &name, const std::string &path) const
      {
        const YAML::Node node = parent[name];
        if (!node.IsDefined() || node.IsNull())
          fail(parent, path + name, "missing in the calibration record");
        return node;
      }

      double number(const YAML::Node &parent, const std::string &name, const std::string &path) const
      {
        const YAML::Node node = child(parent, name, path);
        double value = 0.0;
        if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value))
          fail(node, path + name, "expected a finite number");
        return value;
      }

      std::string text(const YAML::Node &parent, const std::string &name, const std::string &path) const
      {
        const YAML::Node node = child(parent, name, path);
        if (!node.IsScalar())
          fail(node, path + name, "expected text");
        return node.Scalar();
      }

      const std::filesystem::path &file() const { return file_; }

    private:
      std::filesystem::path file_;
    };

    bool is_quantity_key(const std::string &key)
    {
      return key == "thermal_expansion_per_K" || key == "bulk_modulus_GPa" || key == "shear_modulus_GPa" ||
             key == "yield_stress_GPa" || key == "thermal_stress_GPa";
    }

    RecordedQuantity read_quantity(const RecordReader &r, const YAML::Node &node, const std::string &name,
                                   const std::string &path)
    {
      RecordedQuantity q;
      q.name = name;
      q.unit = r.text(node, "unit", path);
      q.sample_count = static_cast<std::size_t>(r.number(node, "sample_count", path));
      q.mean = r.number(node, "mean", path);
      q.standard_deviation = r.number(node, "standard_deviation", path);
      const YAML::Node fits = r.child(node, "fits", path);
      if (!fits.IsSequence())
        r.fail(fits, path + "fits", "expected a list of fits");
      for (std::size_t i = 0; i < fits.size(); ++i)
        {
          const std::string fit_path = fmt::format("{}fits[{}].", path, i);
          RecordedFit f;
          f.family = r.text(fits[i], "family", fit_path);
          f.aic = r.number(fits[i], "aic", fit_path);
          const YAML::Node parameters = r.child(fits[i], "parameters", fit_path);
          if (!parameters.IsMap())
            r.fail(parameters, fit_path + "parameters", "expected a map of parameters");
          for (const auto &entry : parameters)
            {
              const std::string parameter = entry.first.as<std::string>();
              const std::string parameter_path = fit_path + "parameters." + parameter + ".";
              f.parameter_names.push_back(parameter);
              f.estimates.push_back(r.number(entry.second, "estimate", parameter_path));
              f.standard_errors.push_back(r.number(entry.second, "standard_error", parameter_path));
            }
          q.fits.push_back(std::move(f));
        }
      return q;
    }
  } // namespace

  const RecordedFit *RecordedQuantity::fit(const std::string &family) const
  {
    for (const auto &f : fits)
      if (f.family == family)
        return &f;
    return nullptr;
  }

  const RecordedQuantity *RecordedCoarseGraining::quantity(const std::string &name) const
  {
    for (const auto &q : quantities)
      if (q.name == name)
        return &q;
    return nullptr;
  }

  const RecordedCoarseGraining &CalibrationRecord::width(const double sigma_cg_nm) const
  {
    std::string widths;
    for (const auto &w : coarse_grainings)
      {
        if (std::abs(w.sigma_cg_nm - sigma_cg_nm) <= 1e-9 * sigma_cg_nm)
          return w;
        widths += fmt::format("{}{} nm", widths.empty() ? "" : ", ", w.sigma_cg_nm);
      }
    throw std::runtime_error(fmt::format("{}: no coarse graining σ_cg = {} nm (the record has {})", file.string(),
                                         sigma_cg_nm, widths));
  }

  const RecordedFit &CalibrationRecord::fit(const double sigma_cg_nm, const std::string &quantity,
                                            const std::string &family) const
  {
    const RecordedCoarseGraining &w = width(sigma_cg_nm);
    const RecordedQuantity *q = w.quantity(quantity);
    if (q == nullptr)
      {
        std::string names;
        for (const auto &other : w.quantities)
          names += (names.empty() ? "" : ", ") + other.name;
        throw std::runtime_error(fmt::format("{}: no {} at σ_cg = {} nm (the record has {})", file.string(), quantity,
                                             sigma_cg_nm, names.empty() ? "none" : names));
      }
    if (const RecordedFit *f = q->fit(family))
      return *f;
    std::string families;
    for (const auto &other : q->fits)
      families += (families.empty() ? "" : ", ") + other.family;
    throw std::runtime_error(fmt::format("{}: no {} fit of {} at σ_cg = {} nm (fitted: {})", file.string(), family,
                                         quantity, sigma_cg_nm, families.empty() ? "none" : families));
  }

  CalibrationRecord read_calibration_record(const std::filesystem::path &file)
  {
    const RecordReader r(file);
    YAML::Node root;
    try
      {
        root = YAML::LoadFile(file.string());
      }
    catch (const YAML::BadFile &)
      {
        throw std::runtime_error(file.string() + ": cannot read the calibration record");
      }
    catch (const YAML::Exception &e)
      {
        throw std::runtime_error(fmt::format("{}:{}: not valid YAML: {}", file.string(), e.mark.line + 1, e.msg));
      }
    if (!root.IsMap())
      r.fail(root, "(document)", "expected a calibration record (a map with format_version, glass, coarse_grainings)");
    const double version = r.number(root, "format_version", "");
    if (version != 1.0)
      r.fail(root["format_version"], "format_version",
             fmt::format("format {} is not known to this cryocycle (it reads format 1)", version));

    CalibrationRecord record;
    record.file = file;
    const YAML::Node glass = r.child(root, "glass", "");
    record.glass_label = r.text(glass, "label", "glass.");
    if (glass["quench_rate_K_per_s"].IsDefined() && !glass["quench_rate_K_per_s"].IsNull())
      record.quench_rate_K_per_s = r.number(glass, "quench_rate_K_per_s", "glass.");
    record.temperature_change_K = r.number(r.child(root, "thermal_cycle", ""), "temperature_change_K", "thermal_cycle.");

    const YAML::Node widths = r.child(root, "coarse_grainings", "");
    if (!widths.IsSequence() || widths.size() == 0)
      r.fail(widths, "coarse_grainings", "expected a non-empty list");
    for (std::size_t i = 0; i < widths.size(); ++i)
      {
        const std::string path = fmt::format("coarse_grainings[{}].", i);
        RecordedCoarseGraining w;
        w.sigma_cg_nm = r.number(widths[i], "sigma_cg_nm", path);
        if (!(w.sigma_cg_nm > 0.0))
          r.fail(widths[i]["sigma_cg_nm"], path + "sigma_cg_nm", "must be > 0");
        for (const auto &entry : widths[i])
          {
            const std::string key = entry.first.as<std::string>();
            if (is_quantity_key(key))
              w.quantities.push_back(read_quantity(r, entry.second, key, path + key + "."));
          }
        if (widths[i]["activation"].IsDefined())
          w.probability = r.number(widths[i]["activation"], "probability", path + "activation.");
        record.coarse_grainings.push_back(std::move(w));
      }
    return record;
  }
} // namespace cryocycle::coupling
