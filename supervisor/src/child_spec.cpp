#include <weir/child_spec.hpp>
#include <weir/supervisor.hpp>

#include <weir/detail/duration_text.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace weir {

using detail::milliseconds_text;
namespace {

[[noreturn]] void reject(std::string_view where, std::string_view what) {
  throw std::invalid_argument(std::string{where} + ": " + std::string{what});
}

}  // namespace

void validate(const supervisor_flags& flags, std::string_view where) {
  if (flags.intensity < 0) reject(where, "intensity must be >= 0, got " + std::to_string(flags.intensity));
  if (flags.period <= clock::duration::zero()) {
    reject(where, "period must be positive, got " + milliseconds_text(flags.period));
  }
  if (!flags.backoff) return;
  const backoff& b = *flags.backoff;
  if (b.initial <= clock::duration::zero()) {
    reject(where, "backoff.initial must be positive, got " + milliseconds_text(b.initial));
  }
  if (b.max < b.initial) reject(where, "backoff.max must be >= backoff.initial, got " + milliseconds_text(b.max));
  if (!(b.multiplier >= 1.0)) reject(where, "backoff.multiplier must be >= 1, got " + std::to_string(b.multiplier));
  if (!(b.jitter >= 0.0 && b.jitter <= 1.0)) {
    reject(where, "backoff.jitter must be within [0, 1], got " + std::to_string(b.jitter));
  }
  if (b.reset_after <= clock::duration::zero()) {
    reject(where, "backoff.reset_after must be positive, got " + milliseconds_text(b.reset_after));
  }
}

void validate(const std::vector<child_spec>& children, std::string_view where) {
  for (std::size_t i = 0; i < children.size(); ++i) {
    const child_spec& spec = children[i];
    const std::string child = "child #" + std::to_string(i + 1) + (spec.name.empty() ? "" : " '" + spec.name + "'");
    if (spec.name.empty()) reject(where, child + ": name must not be empty");
    if (spec.name.find('/') != std::string::npos) reject(where, child + ": name must not contain '/'");
    if (!spec.start || spec.type == nullptr) reject(where, child + ": factory is empty (it would make no actor)");
    if (spec.shutdown.timeout <= clock::duration::zero()) {
      reject(where, child + ": shutdown timeout must be positive, got " + milliseconds_text(spec.shutdown.timeout));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (children[j].name == spec.name) {
        reject(where, child + ": name is already used by child #" + std::to_string(j + 1));
      }
    }
  }
}

child_spec supervisor_child(std::string name, supervisor_flags flags, std::vector<child_spec> children) {
  const std::string where = "weir::supervisor_child '" + name + "'";
  validate(flags, where);
  validate(children, where);
  child_spec spec = worker<supervisor>(std::move(name), std::move(flags), std::move(children));
  spec.kind = child_kind::supervisor;
  spec.shutdown = shutdown_policy::infinity();
  return spec;
}

detail::cell_ptr detail::find_sibling(cell& parent, std::string_view name, const std::type_info& type,
                                      std::string_view child) {
  cell_ptr c = parent.child_named(name);
  if (!c) {
    throw std::invalid_argument("weir: child '" + std::string{child} + "': no sibling named '" + std::string{name} +
                                "' was started before it under " + parent.path());
  }
  if (c->behavior_type() == nullptr || *c->behavior_type() != type) {
    throw std::invalid_argument("weir: child '" + std::string{child} + "': sibling '" + std::string{name} +
                                "' is a " + type_name(*c->behavior_type()) + ", not a " + type_name(type));
  }
  return c;
}

}  // namespace weir
