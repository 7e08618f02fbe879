#pragma once
// actors.hpp — the small actors the explorer's scenarios are made of.

#include <weir/actor.hpp>

#include <stdexcept>
#include <string>

namespace weir::test {

struct crash {};
struct job {
  int n = 0;
};

/// A worker that crashes on `crash` and counts the jobs it handled.
class crasher : public weir::actor<crash, job> {
 public:
  void on_message(crash&) override { throw std::runtime_error("crash " + path()); }
  void on_message(job&) override { ++handled_jobs; }
  int handled_jobs = 0;
};

}  // namespace weir::test
