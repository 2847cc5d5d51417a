#include "dicometl/upload/upload.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "dicometl/dicom/store_scu.hpp"
#include "dicometl/pipeline/progress.hpp"
#include "dicometl/upload/records.hpp"
#include "dicometl/upload/sender.hpp"
#include "dicometl/upload/shard_select.hpp"

namespace dicometl::upload {

namespace {

//! A slice [begin, end) of the to-do list: part of one series.
struct Unit {
  std::size_t begin, end;
};

std::vector<Unit> make_units(const std::vector<const UploadItem*>& todo, std::size_t batch) {
  std::vector<Unit> units;
  std::size_t b = 0;
  for (std::size_t i = 1; i <= todo.size(); ++i) {
    if (i == todo.size() || i - b >= batch || todo[i]->series_uid != todo[b]->series_uid) {
      units.push_back({b, i});
      b = i;
    }
  }
  return units;
}

bool not_attempted(const ItemResult& r) { return r.status == Status::kFailed && r.attempts == 0; }

}  // namespace

UploadCounts run_upload(storage::Database& db, const std::vector<std::string>& roots,
                        const UploadOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  UploadCounts counts;
  ensure_upload_schema(db);
  const bool omop = has_image_occurrence(db);
  std::vector<UploadItem> items = load_items(db, roots, omop);
  keep_shard(items, roots, options.shard);
  counts.selected = items.size();
  const auto recorded =
      options.resend ? std::unordered_set<std::string>{} : recorded_uploads(db, options.to.key);
  std::vector<const UploadItem*> todo;
  for (const auto& it : items) {
    if (recorded.count(it.sop_instance_uid)) ++counts.previously_sent;
    else if (it.missing)
      ++counts.missing;  // gone from disk: nothing to send, said in the summary
    else todo.push_back(&it);
  }
  const std::vector<Unit> units = make_units(todo, std::max<std::size_t>(1, options.batch));
  std::vector<ItemResult> results(todo.size());

  http::global_init();  // before any thread uses libcurl
  if (options.to.protocol == Protocol::kDimse) dicom::prepare_store_scu();  // sets TCP_NODELAY
  DeadServerGuard guard(options.max_connection_failures);
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::size_t> finished;  // unit indexes, guarded by m
  unsigned running = 0;
  std::string worker_error;  // guarded by m; rethrown once the rows are written
  std::atomic<std::size_t> next{0};
  const unsigned n_threads =
      static_cast<unsigned>(std::min<std::size_t>(std::max(1u, options.connections), units.size()));
  std::vector<std::thread> workers;
  running = n_threads;
  for (unsigned t = 0; t < n_threads; ++t) {
    workers.emplace_back([&] {
      // A worker's failures are per-instance results; nothing here is expected to throw, but a
      // bad_alloc must not take the process down without the others' rows being written.
      try {
        Sender sender(options, guard);
        for (std::size_t u; (u = next.fetch_add(1)) < units.size();) {
          if ((options.stop && options.stop->load()) || guard.tripped()) break;
          std::vector<const UploadItem*> its(todo.begin() + units[u].begin, todo.begin() + units[u].end);
          std::vector<ItemResult*> rs;
          for (std::size_t i = units[u].begin; i < units[u].end; ++i) rs.push_back(&results[i]);
          sender.send(its, rs);
          std::lock_guard<std::mutex> lock(m);
          finished.push_back(u);
          cv.notify_one();
        }
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(m);
        worker_error = e.what();
      }
      std::lock_guard<std::mutex> lock(m);
      --running;
      cv.notify_one();
    });
  }

  // The calling thread owns the database connection: it records outcomes as units finish.
  pipeline::Progress progress(options.progress);
  UploadRecorder recorder(db, options.to.key, omop);
  std::uint64_t done = 0;
  auto record_units = [&](const std::vector<std::size_t>& batch) {
    if (batch.empty()) return;
    storage::in_transaction(db, [&] {
      for (std::size_t u : batch) {
        for (std::size_t i = units[u].begin; i < units[u].end; ++i) {
          const ItemResult& r = results[i];
          ++done;
          if (not_attempted(r)) continue;
          recorder.record(*todo[i], r);
          if (r.status == Status::kSent) ++counts.sent;
          else if (r.status == Status::kAlreadyPresent) ++counts.already_there;
          else {
            ++counts.failed;
            ++counts.failure_reasons[r.error];
          }
        }
      }
    });
  };
  for (;;) {
    std::vector<std::size_t> batch;
    bool all_done = false;
    {
      std::unique_lock<std::mutex> lock(m);
      cv.wait_for(lock, std::chrono::milliseconds(250), [&] { return !finished.empty() || running == 0; });
      batch.swap(finished);
      all_done = running == 0;
    }
    record_units(batch);
    // Items not sent (already sent, gone from disk) count as settled, so the line ends at 100 %.
    progress.update(done + counts.previously_sent + counts.missing, counts.selected, true);
    if (all_done) {
      std::lock_guard<std::mutex> lock(m);
      if (finished.empty()) break;
    }
  }
  for (auto& w : workers) w.join();
  progress.finish();
  for (const auto& r : results)
    if (not_attempted(r)) ++counts.not_attempted;
  if (!worker_error.empty()) throw std::runtime_error("upload worker failed: " + worker_error);
  counts.gave_up = guard.reason();

  // image_occurrence.wadors_uri: the series as the DICOMweb server serves it.
  if (omop && options.to.protocol == Protocol::kDicomWeb) {
    std::set<std::string> served;  // series with at least one instance on the server
    for (std::size_t i = 0; i < todo.size(); ++i)
      if (results[i].status != Status::kFailed) served.insert(todo[i]->series_uid);
    for (const auto& it : items)
      if (recorded.count(it.sop_instance_uid)) served.insert(it.series_uid);
    storage::in_transaction(db, [&] {
      std::string last;
      for (const auto& it : items) {  // sorted by series: one update each
        if (it.series_uid == last || !served.count(it.series_uid)) continue;
        last = it.series_uid;
        recorder.set_wadors_uri(it.series_uid, series_url(options.to.base, it.study_uid, it.series_uid));
      }
    });
  }
  counts.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return counts;
}

}  // namespace dicometl::upload
