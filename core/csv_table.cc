#include "core/csv_table.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace cryocycle::core
{
  namespace
  {
    std::string trim(const std::string &s)
    {
      const auto first = s.find_first_not_of(" \t\r");
      if (first == std::string::npos)
        return "";
      const auto last = s.find_last_not_of(" \t\r");
      return s.substr(first, last - first + 1);
    }

    std::vector<std::string> split(const std::string &line)
    {
      std::vector<std::string> fields;
      std::size_t start = 0;
      while (true)
        {
          const auto comma = line.find(',', start);
          fields.push_back(trim(line.substr(start, comma - start)));
          if (comma == std::string::npos)
            break;
          start = comma + 1;
        }
      return fields;
    }
  } // namespace

  CsvTable CsvTable::read(const std::filesystem::path &file)
  {
    std::ifstream in(file);
    if (!in)
      throw std::runtime_error(file.string() + ": cannot open the CSV file");
    CsvTable table;
    table.file_ = file;
    std::string line;
    int line_number = 0;
    const auto where = [&](const int n) { return fmt::format("{}:{}: ", file.string(), n); };
    while (std::getline(in, line))
      {
        ++line_number;
        const std::string content = trim(line);
        if (content.empty() || content[0] == '#')
          continue;
        if (table.names_.empty())
          {
            table.names_ = split(content);
            for (const auto &name : table.names_)
              if (name.empty())
                throw std::runtime_error(where(line_number) + "empty column name in the header");
            table.columns_.resize(table.names_.size());
            continue;
          }
        const auto fields = split(content);
        table.row_lines_.push_back(line_number);
        if (fields.size() != table.names_.size())
          throw std::runtime_error(where(line_number) +
                                   fmt::format("expected {} fields as in the header, found {}",
                                               table.names_.size(), fields.size()));
        for (std::size_t c = 0; c < fields.size(); ++c)
          {
            // strtod rather than stod: subnormal numbers are valid data, not errors.
            char *end = nullptr;
            const double value = std::strtod(fields[c].c_str(), &end);
            if (fields[c].empty() || end != fields[c].c_str() + fields[c].size())
              throw std::runtime_error(where(line_number) + "column '" + table.names_[c] + "': '" +
                                       fields[c] + "' is not a number");
            if (!std::isfinite(value))
              throw std::runtime_error(where(line_number) + "column '" + table.names_[c] +
                                       "': non-finite value '" + fields[c] + "'");
            table.columns_[c].push_back(value);
          }
      }
    if (table.names_.empty())
      throw std::runtime_error(file.string() + ": empty CSV file (no header line)");
    if (table.row_count() == 0)
      throw std::runtime_error(file.string() + ": CSV file has a header but no data rows");
    return table;
  }

  bool CsvTable::has_column(const std::string &name) const
  {
    for (const auto &n : names_)
      if (n == name)
        return true;
    return false;
  }

  const std::vector<double> &CsvTable::column(const std::string &name) const
  {
    for (std::size_t c = 0; c < names_.size(); ++c)
      if (names_[c] == name)
        return columns_[c];
    std::string known;
    for (const auto &n : names_)
      known += (known.empty() ? "" : ", ") + n;
    throw std::runtime_error(file_.string() + ": no column '" + name + "' (columns: " + known + ")");
  }

  std::string format_number(const double value) { return fmt::format("{}", value); }

  CsvWriter::CsvWriter(std::vector<std::string> column_names)
    : column_count_(column_names.size())
  {
    add_text_row(column_names);
  }

  void CsvWriter::add_row(const std::vector<double> &values)
  {
    std::vector<std::string> fields;
    fields.reserve(values.size());
    for (const double v : values)
      fields.push_back(format_number(v));
    add_text_row(fields);
  }

  void CsvWriter::add_text_row(const std::vector<std::string> &fields)
  {
    if (fields.size() != column_count_)
      throw std::logic_error(fmt::format("CSV row with {} fields for {} columns", fields.size(),
                                         column_count_));
    for (std::size_t i = 0; i < fields.size(); ++i)
      {
        text_ += i ? "," : "";
        text_ += fields[i];
      }
    text_ += '\n';
  }
} // namespace cryocycle::core
