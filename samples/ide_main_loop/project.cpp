#include "project.hpp"

#include <cstdio>

namespace ide_main_loop {

std::string project_path(std::size_t i) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "src/module_%04zu/file_%06zu.cpp", i / 100, i);
  return buffer;
}

// FNV-1a: cheap, deterministic, and enough to stand for "read the file".
std::uint64_t index_file(std::string_view path) {
  std::uint64_t digest = 14695981039346656037ull;
  for (const char c : path) {
    digest ^= static_cast<unsigned char>(c);
    digest *= 1099511628211ull;
  }
  return digest;
}

std::uint64_t index_files(std::size_t from, std::size_t to) {
  std::uint64_t digest = 0;
  for (std::size_t i = from; i < to; ++i) digest ^= index_file(project_path(i));
  return digest;
}

}  // namespace ide_main_loop
