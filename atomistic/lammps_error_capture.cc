#include "atomistic/lammps_error_capture.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace cryocycle::atomistic
{
  LammpsErrorCapture &LammpsErrorCapture::instance()
  {
    // Never destroyed: the exit handler runs after static destructors registered later.
    static auto *capture = new LammpsErrorCapture();
    return *capture;
  }

  LammpsErrorCapture::LammpsErrorCapture()
  {
    fd_ = memfd_create("cryocycle_lammps_screen", 0);
    if (fd_ < 0)
      throw std::runtime_error("cannot create the in-memory file for LAMMPS output");
    std::atexit(&LammpsErrorCapture::report_at_exit);
  }

  std::string LammpsErrorCapture::screen_path() const { return "/proc/self/fd/" + std::to_string(fd_); }

  std::string LammpsErrorCapture::captured_text() const
  {
    std::string text;
    std::array<char, 65536> buffer{};
    off_t offset = 0;
    for (;;)
      {
        const ssize_t n = pread(fd_, buffer.data(), buffer.size(), offset);
        if (n <= 0)
          break;
        text.append(buffer.data(), static_cast<std::size_t>(n));
        offset += n;
      }
    // After clear() LAMMPS keeps writing at its old file offset; the hole before reads as zeros.
    text.erase(std::remove(text.begin(), text.end(), '\0'), text.end());
    return text;
  }

  void LammpsErrorCapture::clear()
  {
    // A failed truncation only leaves older text in the capture; nothing depends on it.
    if (ftruncate(fd_, 0) != 0)
      return;
  }

  std::string LammpsErrorCapture::error_message(const std::string &screen_text)
  {
    std::istringstream lines(screen_text);
    std::string line, message, last_command;
    while (std::getline(lines, line))
      {
        if (line.rfind("ERROR", 0) == 0)
          message = line;
        else if (!message.empty() && line.rfind("Last command:", 0) == 0)
          last_command = line;
      }
    if (message.empty())
      return "";
    return last_command.empty() ? message : message + " (" + last_command + ")";
  }

  void LammpsErrorCapture::set_fatal_error_hook(std::function<void(const std::string &)> hook)
  {
    hook_ = std::move(hook);
  }

  void LammpsErrorCapture::report_at_exit()
  {
    LammpsErrorCapture &capture = instance();
    if (!capture.session_open_)
      return;
    capture.session_open_ = false;
    const std::string message = error_message(capture.captured_text());
    if (message.empty())
      return;
    std::fprintf(stderr, "error: LAMMPS: %s\n", message.c_str());
    std::fflush(stderr);
    if (capture.hook_)
      {
        try
          {
            capture.hook_(message);
          }
        catch (...)
          {
            // Nothing more can be done while the process exits.
          }
      }
  }
} // namespace cryocycle::atomistic
