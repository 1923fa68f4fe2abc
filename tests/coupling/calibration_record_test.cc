// calibration.yaml written by the calibration stage's writer reads back to the same numbers, and a
// broken record is refused with its file, line and key.
#include "coupling/bridge/calibration_record.h"
#include "coupling/stages/calibrate/calibration_results.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace cryocycle::coupling;
namespace fs = std::filesystem;

namespace
{
  cryocycle::calibrate::DistributionFit hyperbolic_fit()
  {
    cryocycle::calibrate::DistributionFit f;
    f.family = "hyperbolic";
    f.parameter_names = {"shape_lambda", "scale_beta"};
    f.estimates = {0.10, 1.61};
    f.standard_errors = {0.01, 0.05};
    f.ci_lower = {0.08, 1.5};
    f.ci_upper = {0.12, 1.7};
    f.aic = 12.5;
    f.sample_count = 4;
    return f;
  }

  fs::path write(const std::string &name, const std::string &text)
  {
    const fs::path file = fs::temp_directory_path() / ("cryocycle_calibration_record_test_" + name);
    std::ofstream(file) << text;
    return file;
  }
} // namespace

TEST(CalibrationRecord, ReadsWhatTheCalibrationStageWrites)
{
  CalibrationResults results;
  results.glass_label = "fast quench";
  results.glass_quench_rate_K_per_s = 1e13;
  results.high_temperature_K = 300;
  results.low_temperature_K = 200;
  CoarseGrainingCalibration w;
  w.sigma_cg_nm = 0.5;
  QuantityCalibration q;
  q.name = "yield_stress_GPa";
  q.unit = "GPa";
  q.source = "test";
  q.samples = {1.0, 1.5, 2.0, 2.5};
  q.fits.push_back(hyperbolic_fit());
  w.yield_stress = q;
  ActivationCalibration a;
  a.probability = 4.58e-4;
  w.activation = a;
  results.widths.push_back(w);

  const fs::path file = write("good.yaml", calibration_record_yaml(results));
  const CalibrationRecord record = read_calibration_record(file);
  EXPECT_EQ(record.glass_label, "fast quench");
  ASSERT_TRUE(record.quench_rate_K_per_s);
  EXPECT_DOUBLE_EQ(*record.quench_rate_K_per_s, 1e13);
  EXPECT_DOUBLE_EQ(record.temperature_change_K, 100.0);
  const RecordedFit &fit = record.fit(0.5, "yield_stress_GPa", "hyperbolic");
  EXPECT_EQ(fit.parameter_names, (std::vector<std::string>{"shape_lambda", "scale_beta"}));
  EXPECT_EQ(fit.estimates, (std::vector<double>{0.10, 1.61}));
  EXPECT_EQ(fit.standard_errors, (std::vector<double>{0.01, 0.05}));
  const auto *yield = record.width(0.5).quantity("yield_stress_GPa");
  ASSERT_NE(yield, nullptr);
  EXPECT_DOUBLE_EQ(yield->mean, 1.75);
  EXPECT_EQ(yield->sample_count, 4u);
  ASSERT_TRUE(record.width(0.5).probability);
  EXPECT_DOUBLE_EQ(*record.width(0.5).probability, 4.58e-4);

  try
    {
      record.fit(0.5, "yield_stress_GPa", "weibull");
      FAIL() << "no weibull fit in the record";
    }
  catch (const std::runtime_error &e)
    {
      EXPECT_NE(std::string(e.what()).find("fitted: hyperbolic"), std::string::npos) << e.what();
    }
  EXPECT_THROW(record.width(0.7), std::runtime_error);
}

TEST(CalibrationRecord, RefusesABrokenRecordNamingLineAndKey)
{
  const fs::path file = write("broken.yaml", "format_version: 1\n"
                                             "glass:\n"
                                             "  label: x\n"
                                             "thermal_cycle:\n"
                                             "  temperature_change_K: 100\n"
                                             "coarse_grainings:\n"
                                             "  - sigma_cg_nm: abc\n");
  try
    {
      read_calibration_record(file);
      FAIL() << "a non-numeric sigma_cg_nm was accepted";
    }
  catch (const std::runtime_error &e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find("broken.yaml:7: coarse_grainings[0].sigma_cg_nm"), std::string::npos) << message;
    }
  EXPECT_THROW(read_calibration_record(write("version.yaml", "format_version: 9\n")), std::runtime_error);
  EXPECT_THROW(read_calibration_record(write("bad.yaml", "a: [1, 2\n")), std::runtime_error);
  EXPECT_THROW(read_calibration_record(fs::temp_directory_path() / "no_such_record.yaml"), std::runtime_error);
}
