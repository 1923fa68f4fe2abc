// Tests of per-site CSV reading (every malformed case names file and line) and exact writing.
#include "core/csv_table.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

using namespace cryocycle::core;
namespace fs = std::filesystem;

namespace
{
  fs::path write(const std::string &name, const std::string &text)
  {
    const fs::path dir = fs::temp_directory_path() / "cryocycle_csv_test";
    fs::create_directories(dir);
    std::ofstream(dir / name) << text;
    return dir / name;
  }

  std::string error_of(const fs::path &file)
  {
    try
      {
        CsvTable::read(file);
      }
    catch (const std::runtime_error &e)
      {
        return e.what();
      }
    ADD_FAILURE() << "no error for " << file;
    return "";
  }
} // namespace

TEST(CsvTable, ReadsColumnsSkippingCommentsAndBlankLines)
{
  const auto t = CsvTable::read(write("ok.csv", "# comment\nx_nm, yield_stress_GPa\n\n0,1.5\n0.5, 2e-1\n"));
  EXPECT_EQ(t.row_count(), 2u);
  EXPECT_EQ(t.column_names(), (std::vector<std::string>{"x_nm", "yield_stress_GPa"}));
  EXPECT_EQ(t.column("yield_stress_GPa"), (std::vector<double>{1.5, 0.2}));
  EXPECT_TRUE(t.has_column("x_nm"));
  EXPECT_FALSE(t.has_column("y_nm"));
}

TEST(CsvTable, MalformedFilesNameFileLineAndColumn)
{
  EXPECT_NE(error_of(write("fields.csv", "a,b\n1,2\n3\n")).find("fields.csv:3: expected 2 fields"), std::string::npos);
  EXPECT_NE(error_of(write("text.csv", "a,b\n1,x2\n")).find("text.csv:2: column 'b': 'x2' is not a number"), std::string::npos);
  EXPECT_NE(error_of(write("nan.csv", "a\n1\nnan\n")).find("nan.csv:3: column 'a': non-finite"), std::string::npos);
  EXPECT_NE(error_of(write("inf.csv", "a\n-inf\n")).find("non-finite"), std::string::npos);
  EXPECT_NE(error_of(write("empty.csv", "")).find("no header"), std::string::npos);
  EXPECT_NE(error_of(write("header.csv", "a,b\n")).find("no data rows"), std::string::npos);
  EXPECT_NE(error_of(write("blank_field.csv", "a,b\n1,\n")).find("'' is not a number"), std::string::npos);
  EXPECT_NE(error_of(fs::temp_directory_path() / "cryocycle_no_such.csv").find("cannot open"), std::string::npos);
  const auto t = CsvTable::read(write("cols.csv", "a,b\n1,2\n"));
  try
    {
      t.column("c");
      FAIL();
    }
  catch (const std::runtime_error &e)
    {
      EXPECT_NE(std::string(e.what()).find("no column 'c' (columns: a, b)"), std::string::npos);
    }
}

TEST(CsvWriter, NumbersRoundTripExactly)
{
  // Reference: the written text must read back to the identical doubles (shortest round trip).
  const std::vector<double> values{0.1, 1.0 / 3.0, -2.5e-300, 6.02214076e23,
                                   std::numeric_limits<double>::denorm_min(), 0.0};
  CsvWriter w({"v"});
  for (const double v : values)
    w.add_row({v});
  const auto t = CsvTable::read(write("round.csv", w.text()));
  EXPECT_EQ(t.column("v"), values);
  EXPECT_THROW(w.add_row({1.0, 2.0}), std::logic_error);
}
