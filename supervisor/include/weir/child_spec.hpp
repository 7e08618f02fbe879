#pragma once
// weir/child_spec.hpp — what a supervisor needs to start, restart and stop one child.

#include <weir/actor.hpp>
#include <weir/clock.hpp>
#include <weir/detail/type_name.hpp>
#include <weir/supervisor_flags.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

namespace weir {

class supervisor;

/// When a child that ended is restarted (OTP's restart types).
enum class restart_type : std::uint8_t {
  permanent,  ///< always
  transient,  ///< only after an abnormal exit: not after `normal` or `shutdown`
  temporary,  ///< never; its spec is forgotten once it ends
};

constexpr std::string_view to_string(restart_type r) noexcept {
  switch (r) {
    case restart_type::permanent: return "permanent";
    case restart_type::transient: return "transient";
    case restart_type::temporary: return "temporary";
  }
  return "?";
}

enum class child_kind : std::uint8_t { worker, supervisor };

constexpr std::string_view to_string(child_kind k) noexcept {
  return k == child_kind::worker ? "worker" : "supervisor";
}

/// How a child is stopped by its supervisor. It is asked to stop (it first
/// stops its own children, then runs on_stop); past `timeout` it is cut off:
/// reported, handed no further message, and the shutdown goes on without
/// it. `brutal` stops it without running on_stop (OTP's brutal_kill; like
/// every C++ runtime, weir cannot interrupt a handler that is running).
struct shutdown_policy {
  clock::duration timeout = std::chrono::seconds(5);
  bool brutal = false;

  static shutdown_policy after(clock::duration t) { return {t, false}; }
  static shutdown_policy infinity() { return {clock::duration::max(), false}; }
  static shutdown_policy brutal_kill() { return {clock::duration::max(), true}; }
};

/// An argument to worker<T>(...) standing for the handle of an earlier
/// sibling: resolved when the child is (re)started, so it can be wired to
/// the children started before it (the rest_for_one pattern).
template <class T>
struct sibling {
  std::string name{};
};

namespace detail {

/// Looks up a sibling started before the child being built; any thread.
cell_ptr find_sibling(cell& parent, std::string_view name, const std::type_info& type, std::string_view child);

template <class A>
decltype(auto) resolve_argument(cell&, const A& arg, std::string_view) {
  return arg;  // a copy per start: a restart gets the original value again
}
template <class T>
handle<T> resolve_argument(cell& parent, const sibling<T>& s, std::string_view child) {
  return handle_to<T>(find_sibling(parent, s.name, typeid(T), child));
}

}  // namespace detail

/// One child of a supervisor. Build it with worker<T>(...), worker_from<T>
/// or supervisor_child(...), then adjust: `.with(restart_type::transient)`,
/// `.with(shutdown_policy::brutal_kill())`.
struct child_spec {
  /// Makes the child's behaviour inside the runtime's construction scope;
  /// given the supervisor's cell to resolve siblings. Called at every start.
  using factory = std::function<std::unique_ptr<actor_base>(detail::cell& parent)>;

  std::string name{};
  factory start{};
  const std::type_info* type = nullptr;  // the actor class it makes
  std::size_t inboxes = 0;
  restart_type restart = restart_type::permanent;
  shutdown_policy shutdown{};
  child_kind kind = child_kind::worker;

  child_spec& with(restart_type r) & { restart = r; return *this; }
  child_spec&& with(restart_type r) && { restart = r; return std::move(*this); }
  child_spec& with(shutdown_policy s) & { shutdown = s; return *this; }
  child_spec&& with(shutdown_policy s) && { shutdown = s; return std::move(*this); }
};

/// A worker child `T(args...)`. The arguments are kept, and copied into each
/// (re)start; a weir::sibling<U>{"name"} argument becomes the handle of that
/// earlier sibling. Defaults: permanent, stopped within 5 s (as OTP).
template <class T, class... Args>
child_spec worker(std::string name, Args... args) {
  detail::check_spawnable<T>();
  child_spec spec;
  spec.type = &typeid(T);
  spec.inboxes = T::inboxes::size;
  spec.start = [name, ... kept = std::move(args)](detail::cell& parent) -> std::unique_ptr<actor_base> {
    return std::make_unique<T>(detail::resolve_argument(parent, kept, name)...);
  };
  spec.name = std::move(name);
  return spec;
}

/// A worker made by `make`, called at every (re)start. It must return a T
/// (std::invalid_argument naming the child otherwise): an empty function is
/// refused here, a null result fails that start.
template <class T>
child_spec worker_from(std::string name, std::function<std::unique_ptr<T>()> make) {
  detail::check_spawnable<T>();
  if (!make) throw std::invalid_argument("weir::worker_from: child '" + name + "': factory is empty");
  child_spec spec;
  spec.type = &typeid(T);
  spec.inboxes = T::inboxes::size;
  spec.start = [make = std::move(make)](detail::cell&) -> std::unique_ptr<actor_base> { return make(); };
  spec.name = std::move(name);
  return spec;
}

/// OTP's simple_one_for_one: one template for many dynamic children of type
/// T, started at runtime with weir::start_child{tmpl("conn-17", args...)}.
/// Each child is named prefix-suffix and gets the template's restart type
/// (default temporary) and shutdown policy. Throws std::invalid_argument for
/// an empty prefix, or one holding a '/'.
template <class T>
class child_template {
 public:
  explicit child_template(std::string prefix, restart_type restart = restart_type::temporary,
                          shutdown_policy shutdown = {})
      : prefix_(std::move(prefix)), restart_(restart), shutdown_(shutdown) {
    if (prefix_.empty() || prefix_.find('/') != std::string::npos) {
      throw std::invalid_argument("weir::child_template: prefix '" + prefix_ + "' must be non-empty, without '/'");
    }
  }

  template <class... Args>
  child_spec operator()(const std::string& suffix, Args... args) const {
    return worker<T>(prefix_ + "-" + suffix, std::move(args)...).with(restart_).with(shutdown_);
  }

 private:
  std::string prefix_;
  restart_type restart_;
  shutdown_policy shutdown_;
};

/// A child that is itself a supervisor, with its own flags and children.
/// Validated now, so a whole tree is checked when its root spec is built.
/// Defaults: permanent, shutdown infinity (it waits for its own children).
child_spec supervisor_child(std::string name, supervisor_flags flags, std::vector<child_spec> children);

/// Throws std::invalid_argument naming `where`, the child and the field:
/// empty name or one with '/', no factory, or a name used twice.
void validate(const std::vector<child_spec>& children, std::string_view where);

}  // namespace weir
