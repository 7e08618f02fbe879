#pragma once
// weir/mailbox/fair_picker.hpp — weighted-fair choice among an actor's inboxes.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace weir {

/// Smooth weighted round robin (as in nginx's upstream balancing): among the
/// inboxes that have messages, inbox i is picked weight[i] times out of every
/// sum(weights) picks, spread out rather than in bursts. No inbox with
/// messages waits more than sum(weights) picks, so none starves.
///
/// Thread safety: none; owned by one actor's strand.
class fair_picker {
 public:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  /// Throws std::invalid_argument if empty or if a weight is zero.
  explicit fair_picker(std::vector<std::uint32_t> weights) : weights_(std::move(weights)), current_(weights_.size(), 0) {
    if (weights_.empty()) throw std::invalid_argument("weir::fair_picker: weights must not be empty");
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      if (weights_[i] == 0) {
        throw std::invalid_argument("weir::fair_picker: weight of inbox " + std::to_string(i) + " must be >= 1");
      }
    }
  }

  /// The next inbox to serve among those for which has_messages(i) is true,
  /// or `none` if all are empty.
  template <class HasMessages>
  std::size_t pick(HasMessages&& has_messages) {
    std::size_t best = none;
    std::int64_t total = 0;
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      if (!has_messages(i)) continue;
      current_[i] += weights_[i];
      total += weights_[i];
      if (best == none || current_[i] > current_[best]) best = i;
    }
    if (best != none) current_[best] -= total;
    return best;
  }

  [[nodiscard]] std::size_t size() const noexcept { return weights_.size(); }

 private:
  std::vector<std::uint32_t> weights_;
  std::vector<std::int64_t> current_;
};

}  // namespace weir
