#pragma once
/// @file
/// Numeric CSV tables: per-site inputs (header names with units, e.g. `yield_stress_GPa`) and
/// result tables. Reading checks everything a materials scientist's file can get wrong and says
/// where: file, line, column name.

#include <filesystem>
#include <string>
#include <vector>

namespace cryocycle::core
{
  /// A table of numbers read from CSV: a header line, then rows of finite numbers. Lines starting
  /// with '#' are comments.
  class CsvTable
  {
  public:
    /// Reads and checks `file`; throws std::runtime_error "file:line: ..." on a missing file, no
    /// header, a wrong number of fields, a field that is not a finite number, or no data rows.
    static CsvTable read(const std::filesystem::path &file);

    const std::filesystem::path &file() const { return file_; }
    const std::vector<std::string> &column_names() const { return names_; }
    std::size_t row_count() const { return columns_.empty() ? 0 : columns_.front().size(); }
    bool has_column(const std::string &name) const;
    /// The values of a column; throws naming the file and the columns it has when absent.
    const std::vector<double> &column(const std::string &name) const;
    /// The line of the file (1-based) that holds data row `row` (0-based), for messages.
    int line_of_row(std::size_t row) const { return row_lines_.at(row); }

  private:
    std::filesystem::path file_;
    std::vector<std::string> names_;
    std::vector<std::vector<double>> columns_;
    std::vector<int> row_lines_;
  };

  /// Builds CSV text column by column; numbers use the shortest exact decimal form, so the same
  /// numbers always give the same bytes.
  class CsvWriter
  {
  public:
    explicit CsvWriter(std::vector<std::string> column_names);
    /// A row of numbers (as many as columns).
    void add_row(const std::vector<double> &values);
    /// A row of already formatted fields (text columns).
    void add_text_row(const std::vector<std::string> &fields);
    const std::string &text() const { return text_; }

  private:
    std::size_t column_count_;
    std::string text_;
  };

  /// Shortest decimal representation that reads back to the same double.
  std::string format_number(double value);
} // namespace cryocycle::core
