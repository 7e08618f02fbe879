#include <weir/detail/control_signal.hpp>  // first: the header must be self-contained

#include <doctest/doctest.h>

#include <typeinfo>

using namespace weir;
using namespace weir::detail;

namespace {

// Runs the envelope's own disposal, as the runtime does when it is done.
inbox_index inbox_of_signal(control_signal signal) {
  const envelope_ptr item(new signal_envelope(std::move(signal)));
  return item->inbox;
}

}  // namespace

TEST_CASE("control signals: runtime signals act at once, even on a suspended or held actor") {
  CHECK(inbox_of_signal(signals::stop{exit_reason{exit_kind::shutdown, {}}}) == control_inbox);
  CHECK(inbox_of_signal(signals::adopt{}) == control_inbox);
  CHECK(inbox_of_signal(signals::child_stopped{}) == control_inbox);
  CHECK(inbox_of_signal(signals::child_exited{}) == control_inbox);
  CHECK(inbox_of_signal(signals::restart{}) == control_inbox);
  CHECK(inbox_of_signal(signals::release{}) == control_inbox);
  CHECK(inbox_of_signal(signals::stop_timeout{}) == control_inbox);
  CHECK(inbox_of_signal(signals::watch{}) == control_inbox);
  CHECK(inbox_of_signal(signals::link{}) == control_inbox);
  CHECK(inbox_of_signal(signals::unlink{nullptr}) == control_inbox);
  CHECK(inbox_of_signal(signals::linked_stop{}) == control_inbox);
  CHECK(inbox_of_signal(signals::credit{nullptr}) == control_inbox);
  CHECK(inbox_of_signal(signals::hold{true}) == control_inbox);
  CHECK(inbox_of_signal(signals::resume_inbox{}) == control_inbox);
  CHECK(inbox_of_signal(signals::penalty_paid{}) == control_inbox);
}

TEST_CASE("control signals: signals that run user code wait in the timer inbox, like user code") {
  CHECK(inbox_of_signal(signals::down_notice{}) == callback_inbox);
  CHECK(inbox_of_signal(signals::linked_exit_notice{}) == callback_inbox);
  CHECK(inbox_of_signal(signals::timer_fired{}) == callback_inbox);
  CHECK(inbox_of_signal(signals::ask_failed{1, 0}) == callback_inbox);
}

TEST_CASE("control signals: an envelope names the signal it carries, for logs and the watchdog") {
  const envelope_ptr down(new signal_envelope(signals::down_notice{}));
  CHECK(down->type() == typeid(signals::down_notice));
  const envelope_ptr stop(new signal_envelope(signals::stop{exit_reason{exit_kind::normal, {}}}));
  CHECK(stop->type() == typeid(signals::stop));
}
