#pragma once
// client.hpp — the editor: a steady stream of requests to the main loop.

#include "edge_ledger.hpp"
#include "messages.hpp"
#include "settings.hpp"

#include <weir/actor.hpp>
#include <weir/edge.hpp>
#include <weir/timer_handle.hpp>

#include <cstdint>
#include <future>
#include <optional>

namespace ide_main_loop {

/// What the client saw. Written on its strand only; read after shutdown.
struct client_report {
  std::uint64_t sent = 0;
  std::uint64_t answered = 0;
  std::uint64_t out_of_order = 0;  ///< answers not in request order: lost, duplicated or reordered
  std::uint64_t skipped = 0;       ///< keystroke requests dropped by the editor: the window was full
  std::uint64_t ran_dry = 0;       ///< keystrokes that used the edge's last credit (a suspension follows)
};

/// Starts the stream over a bounded edge to `loop`; `warmed_up` is set once
/// settings::warmup_answers answers have come back.
struct start_stream {
  weir::handle<weir::interface<request>> loop;
  std::promise<void> warmed_up;
};
/// Requests sent from now on are tagged with this scenario phase.
struct enter_phase {
  std::uint32_t phase = 0;
};
/// No more keystrokes; `all_answered` is set once every request sent has its answer.
struct stop_stream {
  std::promise<void> all_answered;
};

/// Every tick (a keystroke) sends settings::requests_per_tick requests, as
/// long as fewer than settings::window are unanswered; past the window the
/// editor drops the request, as it would a completion the user typed past.
/// The edge to the main loop is bounded: should the main loop fall behind,
/// the client runs out of credit and weir suspends it, keystroke timer
/// included, until the main loop catches up. Answers come back in request
/// order, since every hop on the way is FIFO; the client checks that.
class client : public weir::actor<answer, start_stream, enter_phase, stop_stream> {
 public:
  client(settings config, client_report& report, edge_ledger& ledger);

  void on_message(start_stream& start) override;
  void on_message(enter_phase& phase) override;
  void on_message(stop_stream& stop) override;
  void on_message(answer& a) override;

 protected:
  void on_stop() override;

 private:
  void keystroke();
  void settle_promises();
  [[nodiscard]] std::uint64_t unanswered() const noexcept { return report_.sent - report_.answered; }

  const settings config_;
  client_report& report_;
  edge_ledger& ledger_;
  weir::edge<weir::interface<request>> to_loop_;
  weir::timer_handle keystrokes_;
  std::optional<std::promise<void>> warmed_up_;
  std::optional<std::promise<void>> all_answered_;
  std::uint32_t phase_ = 0;
  std::uint64_t expected_answer_ = 0;
};

}  // namespace ide_main_loop
