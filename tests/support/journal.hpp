#pragma once
// journal.hpp — what probe actors did, in order, for supervision tests.

#include <weir/actor.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace weir::test {

/// An append-only list of events ("start a", "stop a", "a 7"). Manual-mode
/// tests only: every actor runs on the test's thread.
struct journal {
  std::vector<std::string> events;

  void add(std::string e) { events.push_back(std::move(e)); }
  [[nodiscard]] std::size_t count(const std::string& e) const {
    return static_cast<std::size_t>(std::count(events.begin(), events.end(), e));
  }
  /// Position of the first `e` at or after `from`; events.size() if none.
  [[nodiscard]] std::size_t find(const std::string& e, std::size_t from = 0) const {
    auto it = std::find(events.begin() + static_cast<std::ptrdiff_t>(std::min(from, events.size())), events.end(), e);
    return static_cast<std::size_t>(it - events.begin());
  }
};

struct work {
  int n;
};
struct crash {};
struct finish {};

/// A worker that journals its start, stop and work, crashes on `crash` and
/// quits normally on `finish`.
class probe : public weir::actor<work, crash, finish> {
 public:
  probe(std::string label, journal* j) : label_(std::move(label)), journal_(j) {}
  void on_start() override { journal_->add("start " + label_); }
  void on_stop() override { journal_->add("stop " + label_); }
  void on_message(work& w) override { journal_->add(label_ + " " + std::to_string(w.n)); }
  void on_message(crash&) override { throw std::runtime_error(label_ + " boom"); }
  void on_message(finish&) override { quit(); }

 private:
  std::string label_;
  journal* journal_;
};

}  // namespace weir::test
