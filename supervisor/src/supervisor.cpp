#include <weir/supervisor.hpp>

#include <weir/detail/duration_text.hpp>
#include <weir/detail/log_limiter.hpp>

#include <spdlog/logger.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace weir {

using detail::milliseconds_text;
supervisor::supervisor(supervisor_flags flags, std::vector<child_spec> children)
    : flags_(std::move(flags)), jitter_state_(id() * 0x9E3779B97F4A7C15ULL | 1U) {
  const std::string where = "weir::supervisor " + path();
  validate(flags_, where);
  validate(children, where);
  children_.reserve(children.size());
  for (auto& spec : children) children_.push_back(child{std::move(spec)});
}

void supervisor::on_start() {
  for (auto& c : children_) {
    try {
      start_fresh(c);
    } catch (const std::exception& e) {
      // OTP: a child that cannot start fails its supervisor's start.
      throw std::runtime_error("child '" + c.spec.name + "' failed to start: " + e.what());
    }
  }
}

// Builds the child's behaviour in a new cell under this supervisor, and
// launches it. We run our own turn, so the child is linked before it runs.
void supervisor::start_fresh(child& c) {
  c.cell = port().start_child(detail::child_start{.name = c.spec.name,
                                                  .inboxes = c.spec.inboxes,
                                                  .type = c.spec.type,
                                                  .shutdown_timeout = c.spec.shutdown.timeout,
                                                  .brutal = c.spec.shutdown.brutal},
                              c.spec.start);
  c.state = child_state::running;
  c.purpose = stop_purpose::none;
  c.started_at = clock().now();
}

void supervisor::on_supervised_exit(detail::cell& exited, const exit_reason& reason) {
  const auto index = index_of(exited);
  if (!index) {  // not ours any more (terminated and forgotten)
    detail::supervision_port::release_child(exited);
    return;
  }
  child& c = children_[*index];
  if (detail::supervision_port::is_cut_off(exited)) c.cell.reset();  // it releases itself when it finally stops; a restart needs a new cell
  if (!group_.empty() && c.purpose != stop_purpose::terminate) {
    c.state = child_state::exited;  // a group that takes it in later has nothing to stop
    if (std::find(group_.begin(), group_.end(), c.spec.name) != group_.end()) {
      stop_next_in_group();
    } else {
      c.pending_exit = reason;  // decided once the group is done, unless a group restarts it first
      deferred_.push_back(c.spec.name);
    }
    return;
  }
  if (c.purpose == stop_purpose::terminate) {
    release(c);
    forget(*index);
    if (!group_.empty()) stop_next_in_group();
    return;
  }
  handle_exit(*index, reason);
}

void supervisor::handle_exit(std::size_t index, const exit_reason& reason) {
  child& c = children_[index];
  c.state = child_state::exited;
  if (!wants_restart(c, reason)) {
    log().info("weir: {}/{} exited ({}); {} child, not restarted", path(), c.spec.name, reason.to_string(),
               to_string(c.spec.restart));
    release(c);
    if (c.spec.restart == restart_type::temporary) forget(index);
    return;
  }
  if (!note_restart(c, reason)) return;  // gave up: this supervisor is stopping
  port().limited_log().info(detail::log_keys::of("restart", path() + "/" + c.spec.name),  // a restart loop
                            "weir: {} restarts {} ({}; {})", path(), c.spec.name, reason.to_string(),
                            to_string(flags_.strategy));
  std::vector<std::string> members;
  const std::size_t first = flags_.strategy == restart_strategy::one_for_all ? 0 : index;
  const std::size_t last = flags_.strategy == restart_strategy::one_for_one ? index + 1 : children_.size();
  for (std::size_t i = first; i < last; ++i) {
    if (children_[i].state != child_state::gone) members.push_back(children_[i].spec.name);
  }
  group_ = std::move(members);
  trigger_ = c.spec.name;
  stop_next_in_group();
}

bool supervisor::wants_restart(const child& c, const exit_reason& reason) const {
  switch (c.spec.restart) {
    case restart_type::permanent: return true;
    case restart_type::transient: return !reason.is_clean();
    case restart_type::temporary: return false;
  }
  return false;
}

// OTP's intensity: the restarts within the last `period`, this one included,
// may number at most `intensity`.
bool supervisor::note_restart(const child& c, const exit_reason& reason) {
  const clock::time_point now = clock().now();
  recent_restarts_.push_back(now);
  while (now - recent_restarts_.front() > flags_.period) recent_restarts_.pop_front();
  if (recent_restarts_.size() <= static_cast<std::size_t>(flags_.intensity)) return true;
  exit_reason give_up{exit_kind::crashed,
                      "restart intensity reached: " + std::to_string(recent_restarts_.size()) +
                          " restarts within " + milliseconds_text(flags_.period) + " (at most " +
                          std::to_string(flags_.intensity) + "); last: " + path() + "/" + c.spec.name + " " +
                          reason.to_string()};
  port().limited_log().error(detail::log_keys::of("give-up", path()), "weir: supervisor {} gives up: {}", path(),
                             give_up.detail);
  port().give_up(std::move(give_up));  // children stop in reverse start order, then we fail upward
  return false;
}

// Members stop newest first, one at a time; once all have exited they
// restart together, in start order, after the trigger's back-off.
void supervisor::stop_next_in_group() {
  for (auto name = group_.rbegin(); name != group_.rend(); ++name) {
    const auto index = index_of(*name);
    if (!index) continue;
    child& m = children_[*index];
    if (m.state == child_state::stopping) return;  // its exit is on the way
    if (m.state == child_state::running) {
      m.state = child_state::stopping;
      m.purpose = stop_purpose::restart;
      port().stop_child(*m.cell);
      return;
    }
  }
  std::vector<std::string> members = std::exchange(group_, {});
  clock::duration delay{};
  if (flags_.backoff) {
    if (const auto trigger = index_of(trigger_)) delay = backoff_delay(children_[*trigger]);
  }
  if (delay > clock::duration::zero()) {
    log().info("weir: {} waits {} before restarting {}", path(), milliseconds_text(delay), trigger_);
    (void)start_timer(delay, [this, members = std::move(members)] { restart_now(members); });
  } else {
    restart_now(members);
  }
  while (group_.empty() && !deferred_.empty()) {  // exits that came in during the group restart
    const std::string name = std::move(deferred_.front());
    deferred_.pop_front();
    const auto index = index_of(name);
    if (!index || !children_[*index].pending_exit) continue;  // forgotten, or restarted by a group since
    const exit_reason reason = *std::exchange(children_[*index].pending_exit, std::nullopt);
    handle_exit(*index, reason);
  }
}

void supervisor::restart_now(const std::vector<std::string>& members) {
  if (!port().is_running()) return;
  for (const auto& name : members) {
    const auto index = index_of(name);
    if (!index || children_[*index].state != child_state::exited) continue;  // restarted or gone meanwhile
    child& m = children_[*index];
    // An exit that waited for this group is settled by it (OTP flushes the
    // EXIT of a child it terminates for a group restart).
    m.pending_exit.reset();
    if (m.spec.restart == restart_type::temporary && name != trigger_) {
      release(m);  // OTP: a temporary child stopped for a sibling's sake is not restarted
      forget(*index);
      continue;
    }
    restart_one(m);
  }
}

void supervisor::restart_one(child& c) {
  ++c.restarts;
  if (!c.cell) {  // cut off earlier: a new cell (old handles now answer `closed`)
    try {
      start_fresh(c);
    } catch (const std::exception& e) {
      log().error("weir: {} could not start {} again: {}", path(), c.spec.name, e.what());
      handle_exit(*index_of(c.spec.name), exit_reason{exit_kind::crashed, e.what()});
    }
    return;
  }
  c.state = child_state::running;
  c.purpose = stop_purpose::none;
  c.started_at = clock().now();
  port().restart_child(*c.cell, c.spec.start);
}

clock::duration supervisor::backoff_delay(child& c) {
  const backoff& b = *flags_.backoff;
  if (clock().now() - c.started_at >= b.reset_after) c.backoff_step = 0;
  double delay = static_cast<double>(b.initial.count()) * std::pow(b.multiplier, c.backoff_step);
  delay = std::min(delay, static_cast<double>(b.max.count()));
  // xorshift64: cheap, and reproducible per supervisor for tests.
  jitter_state_ ^= jitter_state_ << 13;
  jitter_state_ ^= jitter_state_ >> 7;
  jitter_state_ ^= jitter_state_ << 17;
  const double unit = static_cast<double>(jitter_state_ >> 11) / static_cast<double>(1ULL << 53);  // [0, 1)
  delay *= 1.0 + b.jitter * (2.0 * unit - 1.0);
  ++c.backoff_step;
  return clock::duration(static_cast<clock::duration::rep>(delay));
}

void supervisor::release(child& c) {
  if (c.cell) detail::supervision_port::release_child(*c.cell);
  c.cell.reset();
  c.pending_exit.reset();
  c.state = child_state::gone;
  c.purpose = stop_purpose::none;
}

void supervisor::forget(std::size_t index) {
  const std::string name = children_[index].spec.name;
  children_.erase(children_.begin() + static_cast<std::ptrdiff_t>(index));
  std::erase(group_, name);
}

std::optional<std::size_t> supervisor::index_of(const detail::cell& c) const {
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (children_[i].cell.get() == &c) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> supervisor::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (children_[i].spec.name == name) return i;
  }
  return std::nullopt;
}

child_info supervisor::info(const child& c) const {
  child_info out;
  out.name = c.spec.name;
  out.path = path() + "/" + c.spec.name;
  out.id = c.cell ? detail::id_of(*c.cell) : 0;
  out.kind = c.spec.kind;
  out.restart = c.spec.restart;
  out.restarts = c.restarts;
  out.running = c.state == child_state::running;
  return out;
}

void supervisor::on_message(start_child& request) {
  std::vector<child_spec> one;
  one.push_back(std::move(request.spec));
  try {
    validate(one, "weir::supervisor " + path() + ": start_child");
    if (index_of(one.front().name)) {
      throw std::invalid_argument("weir::supervisor " + path() + ": start_child: child '" + one.front().name +
                                  "': name is already used");
    }
    children_.push_back(child{std::move(one.front())});
    try {
      start_fresh(children_.back());
    } catch (...) {
      children_.pop_back();
      throw;
    }
  } catch (const std::exception& e) {
    log().warn("{}", e.what());
    request.reply.send(e.what());
    return;
  }
  request.reply.send(std::string{});
}

void supervisor::on_message(terminate_child& request) {
  const auto index = index_of(request.name);
  if (!index) {
    request.reply.send(false);
    return;
  }
  child& c = children_[*index];
  switch (c.state) {
    case child_state::running:
      c.state = child_state::stopping;
      c.purpose = stop_purpose::terminate;
      port().stop_child(*c.cell);
      break;
    case child_state::stopping:
      c.purpose = stop_purpose::terminate;  // its exit then ends it for good
      break;
    case child_state::exited:
    case child_state::gone:
      release(c);
      forget(*index);
      if (!group_.empty()) stop_next_in_group();
      break;
  }
  request.reply.send(true);
}

void supervisor::on_message(which_children& request) {
  std::vector<child_info> out;
  out.reserve(children_.size());
  for (const auto& c : children_) out.push_back(info(c));
  request.reply.send(std::move(out));
}

}  // namespace weir
