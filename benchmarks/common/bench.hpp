// Header-only helpers shared by every benchmark program (weir's and the peers).
//
// Output contract: each result is exactly one stdout line
//     <bench> <system>: <value> <unit>
// e.g. "pingpong caf: 1234567 rt/s". benchmarks/run parses these lines with
// ^(\S+) (\S+): ([0-9.]+) (\S+)$, so names and units must not contain spaces.
#pragma once

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

namespace bench {

/// Wall time on the monotonic clock since construction or the last restart().
class stopwatch {
public:
  using clock = std::chrono::steady_clock;

  void restart() noexcept { start_ = clock::now(); }

  [[nodiscard]] double seconds() const noexcept {
    return std::chrono::duration<double>(clock::now() - start_).count();
  }

  [[nodiscard]] double millis() const noexcept { return seconds() * 1e3; }

private:
  clock::time_point start_ = clock::now();
};

/// Peak resident set size of this process so far, in KiB.
///
/// Reads VmHWM from /proc/self/status rather than trusting getrusage():
/// Linux carries ru_maxrss across exec(), so a program spawned by a big
/// parent (benchmarks/run is a ~14 MB Python process, and it may vfork)
/// reports the parent's peak if its own is smaller. VmHWM belongs to the
/// post-exec address space. ru_maxrss (KiB on Linux) is only the fallback.
inline std::size_t peak_rss_kb() noexcept {
  if (std::FILE* status = std::fopen("/proc/self/status", "r")) {
    char line[256];
    unsigned long hwm_kb = 0;
    bool found = false;
    while (!found && std::fgets(line, sizeof line, status) != nullptr)
      found = std::sscanf(line, "VmHWM: %lu kB", &hwm_kb) == 1;
    std::fclose(status);
    if (found)
      return hwm_kb;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss);
}

/// Resident set size right now, in KiB: resident pages (second field of
/// /proc/self/statm) times the page size. Returns 0 if it cannot be read.
inline std::size_t current_rss_kb() noexcept {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr)
    return 0;
  unsigned long total_pages = 0;
  unsigned long resident_pages = 0;
  const int fields = std::fscanf(statm, "%lu %lu", &total_pages, &resident_pages);
  std::fclose(statm);
  if (fields != 2)
    return 0;
  return resident_pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) / 1024;
}

/// KiB -> MiB. Reports label MiB as "MB".
inline double kb_to_mb(std::size_t kib) noexcept {
  return static_cast<double>(kib) / 1024.0;
}

/// Prints one result line "<bench> <system>: <value> <unit>" to stdout.
/// Values >= 100 print as integers (rates, bytes, ms); smaller ones keep two
/// decimals so that ratios computed from them stay meaningful.
inline void report(std::string_view bench, std::string_view system, double value,
                   std::string_view unit) {
  const int decimals = value >= 100 ? 0 : 2;
  std::printf("%.*s %.*s: %.*f %.*s\n", static_cast<int>(bench.size()), bench.data(),
              static_cast<int>(system.size()), system.data(), decimals, value,
              static_cast<int>(unit.size()), unit.data());
  // stdout is a pipe under benchmarks/run, i.e. fully buffered: flush so a
  // later crash or timeout cannot swallow results already measured.
  std::fflush(stdout);
}

/// Optional positive integer argument argv[index], or `fallback` if absent.
/// Anything else (garbage, zero, overflow) exits with status 2 and a message,
/// so a typo never silently benchmarks the default size.
inline std::size_t arg_or(int argc, char** argv, int index, std::size_t fallback) {
  if (index <= 0 || index >= argc)
    return fallback;
  const std::string_view text{argv[index]};
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value == 0) {
    std::fprintf(stderr, "%s: argument %d must be a positive integer, got '%s'\n", argv[0],
                 index, argv[index]);
    std::exit(2);
  }
  return value;
}

/// The default thread count: one per core, as weir's system_config and
/// caf_config pick without --threads.
inline std::size_t hardware_threads() noexcept {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

/// Takes "--threads N" out of argv, wherever it stands, and returns N
/// (hardware_threads() without it). Taking it out keeps every other
/// argument at the index arg_or() and the flag parsers expect, so any
/// program accepts it without renumbering. A missing or bad N exits with
/// status 2 and a message, as arg_or does.
inline std::size_t take_threads(int& argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view{argv[i]} != "--threads")
      continue;
    const std::size_t threads = i + 1 < argc ? arg_or(argc, argv, i + 1, 0) : 0;
    if (threads == 0) {
      std::fprintf(stderr, "%s: --threads needs a positive integer\n", argv[0]);
      std::exit(2);
    }
    for (int j = i; j + 2 <= argc; ++j)
      argv[j] = argv[j + 2];  // argv[argc] (the null) moves down too
    argc -= 2;
    return threads;
  }
  return hardware_threads();
}

/// Prints "<bench>-rss <system>: X MB", this process's peak RSS. The runner
/// takes peak RSS from this line, not from wait4(): Linux folds the parent's
/// peak into a child's ru_maxrss at exec (see peak_rss_kb), so wait4 never
/// reports less than the runner's own ~14 MB.
inline void report_peak_rss(std::string_view bench, std::string_view system) {
  report(std::string{bench} + "-rss", system, kb_to_mb(peak_rss_kb()), "MB");
}

/// Result check: on mismatch prints "<what>: got X, expected Y" to stderr.
/// Returns whether it matched; callers `return 1` from main so that the actor
/// system / threads are torn down normally instead of std::exit()ing under them.
inline bool expect_eq(std::string_view what, std::uint64_t got, std::uint64_t expected) {
  if (got == expected)
    return true;
  std::fprintf(stderr, "%.*s: got %llu, expected %llu\n", static_cast<int>(what.size()),
               what.data(), static_cast<unsigned long long>(got),
               static_cast<unsigned long long>(expected));
  return false;
}

} // namespace bench
