#include "client.hpp"

#include <stdexcept>
#include <utility>

namespace ide_main_loop {

client::client(settings config, client_report& report, edge_ledger& ledger)
    : config_(std::move(config)), report_(report), ledger_(ledger) {}

void client::on_message(start_stream& start) {
  // The answer to SPEC S2's "bounded request inbox": suspend the sender.
  to_loop_ = weir::connect(start.loop, weir::bounded{.capacity = config_.request_capacity,
                                                     .on_full = weir::overflow_reaction::suspend,
                                                     .block_timeout = std::nullopt});
  warmed_up_ = std::move(start.warmed_up);
  keystrokes_ = start_periodic(config_.tick, [this] { keystroke(); });
}

void client::on_message(enter_phase& phase) { phase_ = phase.phase; }

void client::on_message(stop_stream& stop) {
  keystrokes_.cancel();
  all_answered_ = std::move(stop.all_answered);
  settle_promises();
}

void client::on_message(answer& a) {
  if (a.id != expected_answer_) ++report_.out_of_order;
  expected_answer_ = a.id + 1;
  ++report_.answered;
  settle_promises();
}

void client::keystroke() {
  bool counted_dry = false;
  for (std::size_t i = 0; i < config_.requests_per_tick; ++i) {
    if (unanswered() >= config_.window) {
      ++report_.skipped;
      continue;
    }
    request r{.id = report_.sent,
              .phase = phase_,
              .sent_at = clock().now(),
              .loop_handled_at_send = to_loop_.target().handled()};
    // An actor sending on a bounded(suspend) edge is never refused: the
    // message is taken and, out of credit, the client is suspended after
    // this handler. `closed` would mean the main loop stopped mid-run.
    if (to_loop_.send(std::move(r)) != weir::send_result::ok) throw std::runtime_error("the main loop has stopped");
    ++report_.sent;
    if (!counted_dry && to_loop_.stats().credits <= 0) {
      counted_dry = true;
      ++report_.ran_dry;
    }
  }
}

void client::settle_promises() {
  if (warmed_up_ && report_.answered >= config_.warmup_answers) {
    warmed_up_->set_value();
    warmed_up_.reset();
  }
  if (all_answered_ && unanswered() == 0) {
    all_answered_->set_value();
    all_answered_.reset();
  }
}

void client::on_stop() { ledger_.keep("client -> main_loop", std::move(to_loop_)); }

}  // namespace ide_main_loop
