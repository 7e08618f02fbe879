// The colours of Savina's chameneos and the rule of a meeting, shared by
// bench_chameneos (weir) and peers/caf_chameneos.
#pragma once

#include <cstdint>

namespace bench::chameneos {

enum class colour : std::uint8_t { red, yellow, blue };

/// After a meeting both take the complement: the same colour if theirs were
/// equal, else the third one.
constexpr colour complement(colour a, colour b) {
  if (a == b) return a;
  if (a != colour::red && b != colour::red) return colour::red;
  if (a != colour::yellow && b != colour::yellow) return colour::yellow;
  return colour::blue;
}

}  // namespace bench::chameneos
