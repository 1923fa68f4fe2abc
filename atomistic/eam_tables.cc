#include "atomistic/eam_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cryocycle::atomistic
{
  UniformCubicTable::UniformCubicTable(std::vector<double> values, const double spacing)
    : values_(std::move(values)), spacing_(spacing), inverse_spacing_(1.0 / spacing)
  {
    const std::size_t n = values_.size();
    if (n < 5 || !(spacing > 0.0))
      throw std::invalid_argument("a tabulated function needs at least 5 values and a positive spacing");
    const auto &f = values_;
    // Node slopes in units of one interval.
    std::vector<double> d(n);
    d[0] = f[1] - f[0];
    d[1] = 0.5 * (f[2] - f[0]);
    d[n - 2] = 0.5 * (f[n - 1] - f[n - 3]);
    d[n - 1] = f[n - 1] - f[n - 2];
    for (std::size_t m = 2; m + 2 < n; ++m)
      d[m] = ((f[m - 2] - f[m + 2]) + 8.0 * (f[m + 1] - f[m - 1])) / 12.0;
    c0_.resize(n - 1), c1_.resize(n - 1), c2_.resize(n - 1), c3_.resize(n - 1);
    for (std::size_t m = 0; m + 1 < n; ++m)
      {
        const double rise = f[m + 1] - f[m];
        c0_[m] = f[m];
        c1_[m] = d[m];
        c2_[m] = 3.0 * rise - 2.0 * d[m] - d[m + 1];
        c3_[m] = d[m] + d[m + 1] - 2.0 * rise;
      }
  }

  void UniformCubicTable::evaluate(const double x, double &value, double &derivative) const
  {
    const double q = x * inverse_spacing_;
    const std::size_t last = c0_.size() - 1;
    const std::size_t m = std::min(static_cast<std::size_t>(std::max(q, 0.0)), last);
    const double p = std::min(q - static_cast<double>(m), 1.0);
    value = ((c3_[m] * p + c2_[m]) * p + c1_[m]) * p + c0_[m];
    derivative = ((3.0 * c3_[m] * p + 2.0 * c2_[m]) * p + c1_[m]) * inverse_spacing_;
  }

  namespace
  {
    /// Whitespace-separated tokens of a setfl body, with the file name for errors.
    class TokenReader
    {
    public:
      TokenReader(std::istream &in, std::string file) : in_(in), file_(std::move(file)) {}
      std::string word(const char *what)
      {
        std::string s;
        if (!(in_ >> s))
          throw std::invalid_argument(fmt::format("{}: the file ends before {}", file_, what));
        return s;
      }
      double number(const char *what)
      {
        const auto s = word(what);
        try
          {
            std::size_t used = 0;
            const double v = std::stod(s, &used);
            if (used == s.size())
              return v;
          }
        catch (const std::exception &)
          {}
        throw std::invalid_argument(fmt::format("{}: '{}' is not a number ({})", file_, s, what));
      }
      std::vector<double> numbers(const std::size_t n, const char *what)
      {
        std::vector<double> v(n);
        for (auto &x : v)
          x = number(what);
        return v;
      }

    private:
      std::istream &in_;
      std::string file_;
    };
  } // namespace

  EamTables EamTables::read(const std::filesystem::path &file, const std::string &style,
                            const std::vector<std::string> &type_elements)
  {
    if (style != "eam/fs" && style != "eam/alloy")
      throw std::invalid_argument("EAM tables: pair style '" + style + "' is not eam/fs or eam/alloy");
    std::ifstream in(file);
    if (!in)
      throw std::invalid_argument("cannot read the potential file " + file.string());
    std::string line;
    for (int i = 0; i < 3; ++i)
      if (!std::getline(in, line))
        throw std::invalid_argument(file.string() + ": fewer than 3 comment lines");
    TokenReader tokens(in, file.string());
    EamTables t;
    const double element_count = tokens.number("the element count on line 4");
    if (!(element_count >= 1.0 && element_count <= 100.0))
      throw std::invalid_argument(file.string() + ": line 4 does not start with an element count");
    t.elements_ = static_cast<std::size_t>(element_count);
    std::vector<std::string> names(t.elements_);
    for (auto &n : names)
      n = tokens.word("the element names on line 4");
    const auto nrho = static_cast<std::size_t>(tokens.number("Nrho"));
    const double drho = tokens.number("drho");
    const auto nr = static_cast<std::size_t>(tokens.number("Nr"));
    const double dr = tokens.number("dr");
    t.cutoff_ = tokens.number("the cut-off");
    if (nrho < 5 || nr < 5 || !(drho > 0.0) || !(dr > 0.0) || !(t.cutoff_ > 0.0))
      throw std::invalid_argument(file.string() + ": line 5 must give Nrho ≥ 5, drho > 0, Nr ≥ 5, dr > 0, cut-off > 0");
    t.max_density_ = static_cast<double>(nrho - 1) * drho;
    const std::size_t n = t.elements_;
    t.density_.resize(n * n);
    for (std::size_t e = 0; e < n; ++e)
      {
        for (int k = 0; k < 4; ++k)  // atomic number, mass, lattice constant, lattice
          tokens.word("an element's header line");
        t.embedding_.emplace_back(tokens.numbers(nrho, "an embedding function"), drho);
        if (style == "eam/fs")
          for (std::size_t to = 0; to < n; ++to)
            t.density_[e * n + to] = UniformCubicTable(tokens.numbers(nr, "a density function"), dr);
        else
          {
            const UniformCubicTable f(tokens.numbers(nr, "a density function"), dr);
            for (std::size_t to = 0; to < n; ++to)
              t.density_[e * n + to] = f;
          }
      }
    t.pair_.resize(n * n);
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b <= a; ++b)
        {
          UniformCubicTable z(tokens.numbers(nr, "a pair function r·φ"), dr);
          t.pair_[a * n + b] = z;
          t.pair_[b * n + a] = std::move(z);
        }
    for (const auto &name : type_elements)
      {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end())
          throw std::invalid_argument(fmt::format("{}: no element '{}' in the file", file.string(), name));
        t.type_element_.push_back(static_cast<std::size_t>(it - names.begin()));
      }
    return t;
  }

  void EamTables::embedding(const std::size_t type, const double density, double &value, double &derivative) const
  {
    embedding_[type_element_[type]].evaluate(density, value, derivative);
    if (density > max_density_)
      value += derivative * (density - max_density_);
  }

  void EamTables::density(const std::size_t from, const std::size_t to, const double r, double &value,
                          double &derivative) const
  {
    density_[type_element_[from] * elements_ + type_element_[to]].evaluate(r, value, derivative);
  }

  void EamTables::pair(const std::size_t a, const std::size_t b, const double r, double &value,
                       double &derivative) const
  {
    double z = 0.0, dz = 0.0;
    pair_[type_element_[a] * elements_ + type_element_[b]].evaluate(r, z, dz);
    value = z / r;
    derivative = (dz - value) / r;
  }
} // namespace cryocycle::atomistic
