// shard_replicator — sample S1, "progress without babysitting".
//
// A coordinator streams the chunks of S shards to N host actors, each over a
// bounded edge; each host writes its chunks to its own loopback TCP
// connection, one async_write at a time; a sink server reads every byte back
// and checks it. In frameworks where a full channel blocks the producer's
// thread, this pipeline hangs once the input outgrows the channels: the
// blocked threads are the ones that should drain them. In weir an edge that
// runs out of credit suspends the sending *actor* after its turn, never a
// thread, so everything else (hosts, sockets, sink) keeps running on the
// same few threads, and memory stays bounded by the edges, not the input.
//
//     shard_replicator [--total-mib M] [--chunk-kib K] [--shards S] [--hosts N]
//                      [--capacity C] [--unbounded] [--threads T]
//                      [--expect-peak-rss-mib X]
//
// --unbounded uses plain unbounded edges (no soft penalty) instead: nothing
// slows the coordinator down, and memory grows with the input.
//
// One process: coordinator, hosts and sink are actors of one system, so the
// peak RSS printed covers the whole pipeline, sockets' user-space side
// included (kernel socket buffers are not RSS). stdout ends with
// "shard_replicator weir: <peak RSS> MB peak RSS" (MB = 2^20 bytes). Exit
// status 0 only if the sink received and verified every byte of every shard,
// no actor crashed, the pipeline never held more chunk bytes than its edges
// allow (bounded runs), and, with --expect-peak-rss-mib, peak RSS stayed
// below X MiB.

#include "coordinator.hpp"
#include "options.hpp"
#include "payload.hpp"
#include "sink.hpp"

#include "../common/rss.hpp"

#include <weir/system.hpp>

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace {

using namespace shard_replicator;
using boost::asio::ip::tcp;
using steady = std::chrono::steady_clock;

// A hang must end the run with a message, not wait forever. No healthy run,
// even of several GiB under a sanitizer, comes near this.
constexpr std::chrono::minutes watchdog{10};

double mib(std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }
double seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

// Under AddressSanitizer RSS is not the program's memory: freed blocks sit in
// its quarantine (256 MB by default) before they are reused. The payload
// high-water mark is checked there all the same.
#if defined(__SANITIZE_ADDRESS__)
constexpr const char* rss_not_meaningful = "AddressSanitizer quarantines freed memory";
#else
constexpr const char* rss_not_meaningful = nullptr;
#endif

// The most chunk bytes a bounded pipeline can hold at once: per host, its
// edge (at most `capacity` unconsumed, see coordinator.hpp) and its local
// queue (at most `capacity`, see host.hpp), each with one chunk of slack;
// plus the chunk the coordinator is generating. Independent of the input.
std::size_t payload_bound_bytes(const options& o) {
  return (o.hosts * (2 * o.capacity + 2) + 1) * o.chunk_kib * 1024;
}

pipeline_config make_config(const options& o, tcp::endpoint sink) {
  pipeline_config config;
  config.total_bytes = o.total_mib * 1024 * 1024;
  config.chunk_bytes = o.chunk_kib * 1024;
  config.shards = o.shards;
  config.hosts = o.hosts;
  config.sink = sink;
  if (o.unbounded) {
    config.policy = weir::unbounded{.penalty = std::nullopt};
  } else {
    // Every field spelled out: block_timeout has no default member
    // initializer, so leaving it out trips -Wmissing-field-initializers.
    config.policy = weir::bounded{.capacity = o.capacity,
                                  .on_full = weir::overflow_reaction::suspend,
                                  .block_timeout = std::nullopt};
  }
  return config;
}

template <class T>
T wait_for(std::future<T>& f, steady::time_point deadline, const char* who) {
  if (f.wait_until(deadline) != std::future_status::ready) {
    throw std::runtime_error(std::string(who) + " did not finish within " + std::to_string(watchdog.count()) +
                             " minutes: the pipeline hangs");
  }
  return f.get();
}

// Runs the pipeline; prints what happened; returns why it failed, or an
// empty string.
std::string run(const options& o) {
  weir::system_config system_config;
  if (o.threads > 0) system_config.threads = o.threads;
  weir::system system(std::move(system_config));

  // The sink listens before anything starts, so the hosts know where to connect.
  tcp::acceptor acceptor(system.io_context());
  const tcp::endpoint loopback(boost::asio::ip::address_v4::loopback(), 0);
  acceptor.open(loopback.protocol());
  acceptor.bind(loopback);
  acceptor.listen(boost::asio::socket_base::max_listen_connections);
  const pipeline_config config = make_config(o, acceptor.local_endpoint());

  std::printf("shard_replicator: %zu MiB in %zu shards of %zu KiB chunks (%llu chunks) to %zu hosts"
              " over loopback TCP\n",
              o.total_mib, o.shards, o.chunk_kib,
              static_cast<unsigned long long>(config.total_chunks()), o.hosts);
  if (o.unbounded) {
    std::printf("  edges        unbounded, no penalty: the coordinator is never slowed down\n");
  } else {
    std::printf("  edges        bounded, capacity %zu chunks, on_full = suspend\n", o.capacity);
  }
  std::printf("  threads      %zu, shared by the coordinator, %zu hosts and the sink\n", system.thread_count(),
              o.hosts);
  std::fflush(stdout);

  std::promise<sink_report> sink_done;
  std::future<sink_report> sink_result = sink_done.get_future();
  std::promise<coordinator_report> coordinator_done;
  std::future<coordinator_report> coordinator_result = coordinator_done.get_future();

  const auto start = steady::now();
  const auto deadline = start + watchdog;
  (void)system.spawn<sink>("sink", std::move(acceptor), o.hosts, o.shards, config.chunk_bytes, std::move(sink_done));
  (void)system.spawn<coordinator>("coordinator", config, std::move(coordinator_done));

  const coordinator_report sent = wait_for(coordinator_result, deadline, "the coordinator");
  if (!sent.error.empty()) return sent.error;
  const sink_report received = wait_for(sink_result, deadline, "the sink");
  const auto elapsed = steady::now() - start;
  if (!received.error.empty()) return "sink: " + received.error;
  system.shutdown();

  std::chrono::nanoseconds suspended{0};
  for (const auto& e : sent.edges) suspended += e.suspended;
  const std::size_t peak_rss = weir_samples::peak_rss_bytes();
  const std::size_t peak_payload = payload::peak_live_bytes();

  std::printf("  sent         %llu bytes in %llu chunks (coordinator)\n", static_cast<unsigned long long>(sent.bytes),
              static_cast<unsigned long long>(sent.chunks));
  std::printf("  received     %llu bytes in %llu chunks, every chunk's checksum verified (sink)\n",
              static_cast<unsigned long long>(received.bytes), static_cast<unsigned long long>(received.chunks));
  std::printf("  time         %.2f s, %.0f MiB/s\n", seconds(elapsed),
              static_cast<double>(o.total_mib) / seconds(elapsed));
  for (std::size_t i = 0; i < sent.edges.size(); ++i) {
    const weir::edge_stats& e = sent.edges[i];
    std::printf("  edge host-%zu  sent %llu, handled %llu, depth %lld; coordinator suspended on it %.2f s; "
                "host queued at most %zu locally\n",
                i, static_cast<unsigned long long>(e.sent), static_cast<unsigned long long>(e.handled),
                static_cast<long long>(e.depth), seconds(e.suspended), sent.hosts[i].max_queued);
  }
  std::printf("  coordinator  suspended %.2f s of %.2f s in all (on some edge, holding no thread)\n",
              seconds(suspended), seconds(elapsed));
  std::printf("  chunk bytes  at most %.1f MiB alive at once", mib(peak_payload));
  if (o.unbounded) {
    std::printf(" (nothing bounds it but the input)\n");
  } else {
    std::printf(" (the edges allow %.1f MiB: hosts x (2 x capacity + 2) + 1 chunks)\n", mib(payload_bound_bytes(o)));
  }
  std::printf("  peak-rss     %.1f MiB (VmHWM of this process: coordinator, hosts and sink)\n", mib(peak_rss));
  std::fflush(stdout);

  if (sent.bytes != config.total_bytes || received.bytes != sent.bytes || received.chunks != sent.chunks) {
    return "the sink received " + std::to_string(received.bytes) + " of " + std::to_string(sent.bytes) + " bytes";
  }
  for (std::size_t shard = 0; shard < o.shards; ++shard) {
    if (received.shards[shard] != sent.sent[shard]) {
      return "shard " + std::to_string(shard) + ": what the sink received differs from what was sent";
    }
  }
  if (system.crashes() != 0) return "actors crashed (see stderr)";
  if (!o.unbounded && peak_payload > payload_bound_bytes(o)) {
    return "the pipeline held more chunk bytes than its edges allow";
  }
  if (o.expect_peak_rss_mib) {
    if (rss_not_meaningful != nullptr) {
      std::printf("  rss check    skipped: %s\n", rss_not_meaningful);
    } else if (peak_rss > *o.expect_peak_rss_mib * 1024 * 1024) {
      return "peak RSS " + std::to_string(peak_rss >> 20) + " MiB is over the expected " +
             std::to_string(*o.expect_peak_rss_mib) + " MiB";
    } else {
      std::printf("  rss check    peak RSS under %zu MiB, as expected\n", *o.expect_peak_rss_mib);
    }
  }
  std::printf("shard_replicator weir: %.1f MB peak RSS\n", mib(peak_rss));
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<options> opts = parse_options(argc, argv);
  if (!opts) return 2;
  std::string failure;
  try {
    failure = run(*opts);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (!failure.empty()) {
    std::fflush(stdout);
    std::fprintf(stderr, "shard_replicator: FAILED: %s\n", failure.c_str());
    return 1;
  }
  return 0;
}
