#include "model.hpp"

#include <chrono>

namespace supervision_tree {

namespace {

/// OTP's intensity: the restarts within the last `period`, this one
/// included, may number at most `intensity`. False: this one is too many.
bool note_restart(std::deque<weir::clock::duration>& recent, const weir::supervisor_flags& flags,
                  weir::clock::duration at) {
  recent.push_back(at);
  while (at - recent.front() > flags.period) recent.pop_front();
  return recent.size() <= static_cast<std::size_t>(flags.intensity);
}

std::string too_many(const std::string& who, std::size_t restarts, const weir::supervisor_flags& flags) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(flags.period).count();
  return who + " has now had " + std::to_string(restarts) + (restarts == 1 ? " restart" : " restarts") + " within " + std::to_string(seconds) +
         " s, more than its " + std::to_string(flags.intensity) + ": it gives up, stops its children and fails upward";
}

/// The children a strategy restarts when child `trigger` must: indexes of
/// live children (and the trigger), in start order.
template <class Child>
std::vector<std::size_t> restart_group(weir::restart_strategy strategy, const std::vector<Child>& children,
                                       std::size_t trigger) {
  const std::size_t first = strategy == weir::restart_strategy::one_for_all ? 0 : trigger;
  const std::size_t last = strategy == weir::restart_strategy::one_for_one ? trigger + 1 : children.size();
  std::vector<std::size_t> group;
  for (std::size_t i = first; i < last; ++i) {
    if (i == trigger || children[i].running) group.push_back(i);
  }
  return group;
}

template <class Child, class Name>
std::string names(const std::vector<Child>& children, const std::vector<std::size_t>& group, Name name) {
  std::string out;
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (i > 0) out += i + 1 == group.size() ? " and " : ", ";
    out += name(children[group[i]]);
  }
  return out;
}

}  // namespace

model::model(const tree_layout& tree) : tree_(tree) {
  for (const auto& layout : tree.subsystems) {
    subsystem_state sub{.layout = &layout, .restarts = 0, .running = true, .recent = {}, .workers = {}};
    start_fresh(sub);
    subsystems_.push_back(std::move(sub));
  }
}

void model::start_fresh(subsystem_state& sub) {
  sub.running = true;
  sub.recent.clear();
  sub.workers.clear();
  for (const auto& w : sub.layout->workers) sub.workers.push_back(worker_state{&w, 0, true});
}

std::vector<std::string> model::apply(const step& s) {
  std::vector<std::string> story;
  if (root_gave_up_) return {"the root is down: there is nobody to tell"};
  std::size_t si = 0;
  while (si < subsystems_.size() && subsystems_[si].layout->name != s.subsystem) ++si;
  if (si == subsystems_.size()) return {"there is no subsystem '" + s.subsystem + "': nothing happens"};
  subsystem_state* sub = &subsystems_[si];
  std::size_t wi = 0;
  while (wi < sub->workers.size() && sub->workers[wi].layout->name != s.worker) ++wi;
  if (wi == sub->workers.size() || !sub->workers[wi].running) {
    return {"no live worker there: the message is a dead letter, nothing happens"};
  }

  if (s.what == action::finish) {
    worker_exited(*sub, wi, false, s.at, story);
    return story;
  }
  for (std::size_t k = 0; k < s.times; ++k) {
    ++crashes_;
    if (!worker_exited(*sub, wi, true, s.at, story)) {
      if (const std::size_t left = s.times - k - 1; left > 0) {
        story.push_back((left == 1 ? std::string("the last poison message, still queued, dies")
                                   : "the " + std::to_string(left) + " poison messages still queued die") +
                        " with the old " + s.worker + " (dead letters)");
      }
      break;
    }
  }
  return story;
}

bool model::worker_exited(subsystem_state& sub, std::size_t index, bool crashed, weir::clock::duration at,
                          std::vector<std::string>& story) {
  const std::string sub_path = tree_.root_path() + "/" + sub.layout->name;
  worker_state& w = sub.workers[index];
  const weir::restart_type type = w.layout->restart;
  const bool restart = type == weir::restart_type::permanent || (type == weir::restart_type::transient && crashed);
  if (!restart) {
    w.running = false;
    story.push_back(sub_path + " leaves " + w.layout->name + " down: a " + std::string(to_string(type)) +
                    " child that exited " + (crashed ? "crashed" : "normally"));
    return true;
  }
  if (!note_restart(sub.recent, sub.layout->flags, at)) {
    story.push_back(too_many(sub_path, sub.recent.size(), sub.layout->flags));
    const auto self = static_cast<std::size_t>(&sub - subsystems_.data());
    subsystem_gave_up(self, at, story);
    return false;
  }
  const std::vector<std::size_t> group = restart_group(sub.layout->flags.strategy, sub.workers, index);
  for (std::size_t i : group) {
    ++sub.workers[i].restarts;
    sub.workers[i].running = true;
  }
  story.push_back(sub_path + " (" + std::string(to_string(sub.layout->flags.strategy)) + ") restarts " +
                  names(sub.workers, group, [](const worker_state& x) { return x.layout->name; }));
  return true;
}

void model::subsystem_gave_up(std::size_t index, weir::clock::duration at, std::vector<std::string>& story) {
  const std::string root = tree_.root_path();
  subsystems_[index].running = false;
  if (!note_restart(root_recent_, tree_.root_flags, at)) {
    story.push_back(too_many(root, root_recent_.size(), tree_.root_flags));
    story.push_back("the root has no supervisor: the system ends with an error, which main() sees in wait_for(root)");
    root_gave_up_ = true;
    for (auto& sub : subsystems_) sub.running = false;
    return;
  }
  ++escalations_;
  const std::vector<std::size_t> group = restart_group(tree_.root_flags.strategy, subsystems_, index);
  for (std::size_t i : group) {
    ++subsystems_[i].restarts;
    start_fresh(subsystems_[i]);
  }
  story.push_back(root + " (" + std::string(to_string(tree_.root_flags.strategy)) + ") restarts " +
                  names(subsystems_, group, [](const subsystem_state& x) { return x.layout->name; }) +
                  ": a fresh supervisor starts its workers anew, their restart counts back at 0");
}

snapshot model::expected() const {
  const std::string root = tree_.root_path();
  snapshot rows;
  rows.push_back(row{.path = root, .depth = 0, .running = !root_gave_up_, .restarts = 0, .items = {}, .known = true});
  if (root_gave_up_) return rows;
  for (const auto& sub : subsystems_) {
    const std::string sub_path = root + "/" + sub.layout->name;
    rows.push_back(row{.path = sub_path, .depth = 1, .running = sub.running, .restarts = sub.restarts, .items = {},
                       .known = true});
    for (const auto& w : sub.workers) {
      rows.push_back(row{.path = sub_path + "/" + w.layout->name, .depth = 2, .running = w.running,
                         .restarts = w.restarts, .items = {}, .known = true});
    }
  }
  return rows;
}

}  // namespace supervision_tree
