#pragma once
// collector.hpp — the simplest receiver: records every item it handles.

#include <weir/actor.hpp>

#include <vector>

namespace weir::test {

struct item {
  int n;
};

/// Appends each item's number to a vector the test owns (manual mode: one thread).
class collector : public weir::actor<item> {
 public:
  explicit collector(std::vector<int>& got) : got_(got) {}
  void on_message(item& i) override { got_.push_back(i.n); }

 private:
  std::vector<int>& got_;
};

}  // namespace weir::test
