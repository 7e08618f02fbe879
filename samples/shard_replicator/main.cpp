// shard_replicator — story S1, "progress without babysitting".
//
// A coordinator streams the chunks of 16 shards to 4 host actors, each over a
// bounded edge; each host writes its chunks to its own loopback TCP
// connection, and a sink on the same threads reads them back
// (shard_replicator_actors.hpp). Where a full channel blocks the producer's
// thread, this hangs once the input outgrows the channels: the blocked
// threads are the ones that should drain them. In weir an edge out of credit
// suspends the sending actor, never a thread, and memory stays bounded by the
// edges, not by the input. --unbounded shows the other way: plain unbounded
// edges, and memory grows with the input.
//
// stdout ends with "shard_replicator weir: <peak RSS> MB peak RSS". The
// checks of every bound are tests/samples/shard_replicator.test.cpp.

#include "shard_replicator_actors.hpp"

#include "../common/options.hpp"
#include "../common/rss.hpp"

#include <weir/system.hpp>

#include <chrono>
#include <cstdio>

using namespace shard_replicator;

int main(int argc, char** argv) {
  samples::positive total_mib = 1024, chunk_kib = 64, shards = 16, hosts = 4, capacity = 8, threads = 2;
  std::size_t expect_peak_rss_mib = 0;
  samples::po::options_description flags("options");
  flags.add_options()                                                                                    //
      ("total-mib", samples::po::value(&total_mib)->default_value(total_mib), "MiB to replicate")           //
      ("chunk-kib", samples::po::value(&chunk_kib)->default_value(chunk_kib), "KiB per chunk")              //
      ("shards", samples::po::value(&shards)->default_value(shards), "shards")                             //
      ("hosts", samples::po::value(&hosts)->default_value(hosts), "host actors, one connection each")      //
      ("capacity", samples::po::value(&capacity)->default_value(capacity), "chunks per bounded edge")      //
      ("unbounded", "plain unbounded edges instead: nothing slows the coordinator down")                    //
      ("threads", samples::po::value(&threads)->default_value(threads), "threads in the system's pool")    //
      ("expect-peak-rss-mib", samples::po::value(&expect_peak_rss_mib), "fail unless peak RSS stays below");
  const auto options = samples::parse(argc, argv, "[options]", flags);
  const bool unbounded = options.count("unbounded") != 0;

  weir::system_config config;
  config.threads = threads;
  weir::system sys(std::move(config));
  tcp::acceptor acceptor(sys.io_context(), tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  pipeline p{total_mib * std::uint64_t{1} << 20, chunk_kib * 1024, shards, hosts, weir::unbounded{.penalty = std::nullopt},
             acceptor.local_endpoint()};
  if (!unbounded) {
    p.policy = weir::bounded{.capacity = capacity, .on_full = weir::overflow_reaction::suspend, .block_timeout = std::nullopt};
  }
  std::printf("shard_replicator: %zu MiB in %zu shards of %zu KiB chunks to %zu hosts over loopback TCP, %zu threads\n"
              "  edges        %s\n", total_mib.value, shards.value, chunk_kib.value, hosts.value, sys.thread_count(),
              unbounded ? "unbounded, no penalty: nothing slows the coordinator down"
                        : ("bounded(" + std::to_string(capacity) + "), on_full = suspend").c_str());

  std::promise<tally> sink_done;
  std::promise<coordinator_report> coordinator_done;
  auto received = sink_done.get_future();
  auto sent = coordinator_done.get_future();
  const auto start = std::chrono::steady_clock::now();
  sys.spawn<sink>("sink", std::move(acceptor), hosts, std::move(sink_done));
  sys.spawn<coordinator>("coordinator", p, std::move(coordinator_done));
  if (sent.wait_for(std::chrono::minutes(10)) != std::future_status::ready ||
      received.wait_for(std::chrono::minutes(1)) != std::future_status::ready) {
    std::fprintf(stderr, "shard_replicator: FAILED: the pipeline hangs\n");
    return 1;
  }
  const coordinator_report r = sent.get();
  const tally sink = received.get();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double peak_rss_mib = static_cast<double>(weir_samples::peak_rss_bytes()) / (1 << 20);
  std::printf("  replicated   %llu bytes in %llu chunks; the sink read %llu, digest %s; %.2f s, %.0f MiB/s\n",
              static_cast<unsigned long long>(r.bytes), static_cast<unsigned long long>(r.chunks),
              static_cast<unsigned long long>(sink.bytes), sink.digest == r.digest ? "equal" : "DIFFERENT", seconds, static_cast<double>(total_mib) / seconds);
  std::printf("  coordinator  suspended %.2f s in all, holding no thread; at most %lld chunks waiting on an edge\n"
              "  peak-rss     %.1f MiB (the whole pipeline: coordinator, hosts and sink)\n",
              std::chrono::duration<double>(r.suspended).count(), static_cast<long long>(r.max_depth), peak_rss_mib);
  if (r.hosts_finished != hosts || sink.bytes != p.total_bytes || sink.digest != r.digest || r.bytes != p.total_bytes ||
      sys.crashes() != 0) {
    std::fprintf(stderr, "shard_replicator: FAILED: not every byte reached the sink\n");
    return 1;
  }
#if !defined(__SANITIZE_ADDRESS__)  // ASan's quarantine keeps freed memory resident
  if (expect_peak_rss_mib != 0 && peak_rss_mib > static_cast<double>(expect_peak_rss_mib)) {
    std::fprintf(stderr, "shard_replicator: FAILED: peak RSS over %zu MiB\n", expect_peak_rss_mib);
    return 1;
  }
#endif
  std::printf("shard_replicator weir: %.1f MB peak RSS\n", peak_rss_mib);
  return 0;
}
