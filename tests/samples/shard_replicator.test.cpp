// Story S1, "progress without babysitting": the sample's coordinator, hosts
// and sink (samples/shard_replicator/shard_replicator_actors.hpp) on the
// manual system: one thread, the test's. An input 32 times what the edges
// hold goes through; were a full edge to block a thread, this one would
// block, and the test would hang instead of passing.
#include "shard_replicator/shard_replicator_actors.hpp"

#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <future>

using namespace shard_replicator;

namespace {

struct run_result {
  coordinator_report sent;
  tally received;
  std::uint64_t crashes = 0;
};

run_result replicate(const weir::edge_policy& policy) {
  weir::test::log_capture capture;
  weir::testing::manual_system t(capture.config());
  tcp::acceptor acceptor(t.system.io_context(), tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  const pipeline p{1 << 20, 16 * 1024, 4, 2, policy, acceptor.local_endpoint()};  // 64 chunks, 2 hosts
  std::promise<tally> sink_done;
  std::promise<coordinator_report> coordinator_done;
  auto received = sink_done.get_future();
  auto sent = coordinator_done.get_future();
  t.system.spawn<sink>("sink", std::move(acceptor), p.hosts, std::move(sink_done));
  t.system.spawn<coordinator>("coordinator", p, std::move(coordinator_done));
  const auto ready = [](auto& f) { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; };
  // On loopback a write has reached its peer when the call returns: each round has work until the end.
  for (int round = 0; !ready(sent) || !ready(received); ++round) {
    REQUIRE(round < 100'000);
    t.run_until_idle();
  }
  run_result r{sent.get(), received.get(), t.system.crashes()};
  CHECK(r.sent.chunks == p.chunks());
  CHECK(r.sent.bytes == p.total_bytes);
  CHECK(r.received.bytes == p.total_bytes);  // every byte reached the sink...
  CHECK(r.received.digest == r.sent.digest);  // ...the bytes sent, in each host's order
  CHECK(r.sent.hosts_finished == p.hosts);
  CHECK(r.sent.out_of_order == 0);  // each edge is FIFO: every shard's chunks arrive in order
  CHECK(r.crashes == 0);
  CHECK(t.system.dead_letters() == 0);
  return r;
}

}  // namespace

TEST_CASE("shard_replicator: bounded edges suspend the coordinator, never a thread, and bound the chunks held") {
  constexpr std::size_t capacity = 2;
  const run_result r = replicate(
      weir::bounded{.capacity = capacity, .on_full = weir::overflow_reaction::suspend, .block_timeout = std::nullopt});
  // The chunks alive at once are bounded by the edges, not the input: per
  // host at most `capacity` waiting at the host, one held at the coordinator's
  // end of the edge (the send that found no credit, see weir::bounded) and
  // one being written.
  CHECK(r.sent.max_depth <= static_cast<std::int64_t>(capacity) + 1);
  CHECK(r.sent.max_queued == 1);
  CHECK(r.sent.suspensions > 0);  // the coordinator outran its hosts, and was suspended, many times
}

TEST_CASE("shard_replicator: with unbounded edges nothing slows the coordinator, and chunks pile up on the edges") {
  const run_result r = replicate(weir::unbounded{.penalty = std::nullopt});
  CHECK(r.sent.suspensions == 0);
  CHECK(r.sent.max_depth > 2);  // what a bounded(2) edge would have held back
  CHECK(r.sent.max_queued == 1);  // a host still takes one chunk at a time: the rest wait on its edge
}
