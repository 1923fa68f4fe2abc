// Tests of the gnuplot helpers: quoting that keeps any text one gnuplot string, and the check
// that a PNG is whole before it is renamed into place.
#include "core/gnuplot_plot.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace cryocycle::core;
namespace fs = std::filesystem;

TEST(GnuplotQuoted, QuotesAreDoubledAndLineBreaksCannotEndTheString)
{
  EXPECT_EQ(gnuplot_quoted("plain"), "'plain'");
  EXPECT_EQ(gnuplot_quoted("it's"), "'it''s'");
  // gnuplot reads backslashes and backquotes inside single quotes as plain characters.
  EXPECT_EQ(gnuplot_quoted("a\\b `c`"), "'a\\b `c`'");
  EXPECT_EQ(gnuplot_quoted("x'\nsystem('touch y')\n#"), "'x'' system(''touch y'') #'");
  EXPECT_EQ(gnuplot_quoted(std::string("a\0b\r\x7f", 5)), "'a b  '");
}

TEST(GnuplotPlot, OnlyAWholePngCountsAsWritten)
{
  const fs::path dir = fs::temp_directory_path() / "cryocycle_png_check";
  fs::remove_all(dir);
  const RunDirectory run(dir, false);
  ASSERT_TRUE(render_png_plot(run, "line", "plot x with lines title 'x'"));
  const fs::path png = dir / "plots" / "line.png";
  EXPECT_TRUE(is_complete_png(png));
  // The same file cut short, as a full disk leaves it.
  std::ifstream in(png, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir / "cut.png", std::ios::binary) << bytes.substr(0, bytes.size() - 20);
  EXPECT_FALSE(is_complete_png(dir / "cut.png"));
  std::ofstream(dir / "text.png") << "not a picture";
  EXPECT_FALSE(is_complete_png(dir / "text.png"));
  EXPECT_FALSE(is_complete_png(dir / "absent.png"));
  // A failing script leaves no PNG under the final name.
  EXPECT_FALSE(render_png_plot(run, "broken", "plot 'no_such_file.csv' using 1:2"));
  EXPECT_FALSE(fs::exists(dir / "plots" / "broken.png"));
  EXPECT_FALSE(fs::exists(dir / "plots" / ".broken.png.tmp"));
  fs::remove_all(dir);
}
