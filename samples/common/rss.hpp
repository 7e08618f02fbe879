#pragma once
// samples/common/rss.hpp — the calling process's resident memory, as Linux
// reports it in /proc/self. Shared by the samples that print memory figures.

#include <cstddef>
#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

namespace weir_samples {

/// Resident set size right now, in bytes (/proc/self/statm); 0 if unreadable.
inline std::size_t current_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t total_pages = 0;
  std::size_t resident_pages = 0;
  if (!(statm >> total_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

/// Peak resident set size so far, in bytes (VmHWM in /proc/self/status); 0
/// if unreadable.
inline std::size_t peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    unsigned long kib = 0;
    if (std::sscanf(line.c_str(), "VmHWM: %lu kB", &kib) == 1) return kib * 1024;
  }
  return 0;
}

}  // namespace weir_samples
