#include "accounting.hpp"

#include <cstdio>
#include <cstdint>

namespace deadlock_sample {

namespace {

std::string str(std::size_t n) { return std::to_string(n); }

// Every report must name the two actors, each waiting for credit on its full
// edge towards the other.
void check_report(const sighting& s, std::size_t capacity, const std::string& coordinator_path,
                  const std::string& worker_path, std::vector<std::string>& failures) {
  const auto& cycle = s.report.cycle;
  if (cycle.size() != 2) {
    failures.push_back("a report names " + str(cycle.size()) + " actors, expected 2: " + s.report.to_string());
    return;
  }
  const bool named = (cycle[0].path == coordinator_path && cycle[1].path == worker_path) ||
                     (cycle[0].path == worker_path && cycle[1].path == coordinator_path);
  if (!named) failures.push_back("a report does not name the coordinator and the worker: " + s.report.to_string());
  for (const auto& m : cycle) {
    if (m.kind != weir::wait_kind::credit || m.capacity != static_cast<std::int64_t>(capacity) ||
        m.depth < static_cast<std::int64_t>(capacity) || m.message_type.empty()) {
      failures.push_back("a member of a report is not a credit wait on a full edge of capacity " + str(capacity) +
                         ": " + s.report.to_string());
    }
  }
  if (!s.both_suspended) failures.push_back("at a report, the two actors were not both suspended");
}

}  // namespace

void print_accounting(const ledger& book, const final_state& s) {
  const std::size_t restarts = book.coordinator_starts.load() + book.worker_starts.load() - 2;
  std::printf("  accounting:\n");
  std::printf("    requests sent       %zu of %zu\n", book.sent.load(), book.requests);
  std::printf("    requests handled    %zu (worker started %zu times)\n", book.handled.load(),
              book.worker_starts.load());
  std::printf("    results received    %zu of %zu (%zu duplicates, %zu wrong)\n", book.received.load(), book.requests,
              book.duplicates.load(), book.wrong_values.load());
  std::printf("    cycles reported     %llu (on_deadlock told of %zu)\n", static_cast<unsigned long long>(s.deadlocks),
              s.reports.size());
  std::printf("    crashes, restarts   %llu, %zu (coordinator started %zu times)\n",
              static_cast<unsigned long long>(s.crashes), restarts, book.coordinator_starts.load());
  std::printf("    dead letters        %llu\n", static_cast<unsigned long long>(s.dead_letters));
  std::printf("    waits left          %zu (coordinator %s, worker %s)\n", s.waits_left,
              s.coordinator_suspended ? "suspended" : "running", s.worker_suspended ? "suspended" : "running");
}

std::vector<std::string> failed_checks(const ledger& book, const final_state& s, const std::string& coordinator_path,
                                       const std::string& worker_path) {
  std::vector<std::string> failures;
  if (s.deadlocks == 0) failures.push_back("no cycle was reported");
  if (s.reports.size() != s.deadlocks) {
    failures.push_back("on_deadlock was told of " + str(s.reports.size()) + " cycles, system::deadlocks() says " +
                       str(s.deadlocks));
  }
  for (const sighting& r : s.reports) check_report(r, book.capacity, coordinator_path, worker_path, failures);
  if (!s.reports.empty() && s.how.both_suspended_after_step && s.reports.front().step != s.how.both_suspended_after_step) {
    failures.push_back("the cycle formed in step " + str(*s.how.both_suspended_after_step) +
                       " but was reported in step " + str(s.reports.front().step.value_or(0)));
  }
  if (s.how.timed_out) failures.push_back("neither finished nor stuck after 30 s");
  if (s.dead_letters != 0) failures.push_back(str(s.dead_letters) + " dead letters");
  if (book.duplicates.load() != 0 || book.wrong_values.load() != 0) failures.push_back("duplicate or wrong results");
  const std::size_t restarts = book.coordinator_starts.load() + book.worker_starts.load() - 2;

  if (s.remedy == weir::deadlock_remedy::report) {
    if (!s.how.stuck) failures.push_back("with remedy report the cycle should have stayed in place, yet the run went on");
    if (s.deadlocks != 1) failures.push_back("a cycle left in place is reported once, not " + str(s.deadlocks) + " times");
    if (s.waits_left != 2 || !s.coordinator_suspended || !s.worker_suspended) {
      failures.push_back("the cycle is not both actors suspended on each other any more");
    }
    if (s.crashes != 0 || restarts != 0) failures.push_back("remedy report crashed or restarted something");
    return failures;
  }
  if (!s.how.completed) failures.push_back("the run did not complete: " + str(book.received.load()) + " results");
  if (book.sent.load() != book.requests || book.handled.load() != book.requests ||
      book.received.load() != book.requests) {
    failures.push_back("sent " + str(book.sent.load()) + ", handled " + str(book.handled.load()) + ", received " +
                       str(book.received.load()) + ", expected " + str(book.requests) + " each");
  }
  if (s.waits_left != 0) failures.push_back(str(s.waits_left) + " waits left after the run");
  const std::size_t expected_crashes = s.remedy == weir::deadlock_remedy::fail_one ? s.deadlocks : 0;
  if (s.crashes != expected_crashes || restarts != expected_crashes) {
    failures.push_back(str(s.crashes) + " crashes and " + str(restarts) + " restarts, expected " +
                       str(expected_crashes) + " of each");
  }
  return failures;
}

}  // namespace deadlock_sample
