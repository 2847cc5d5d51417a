#include "dicometl/pipeline/ingest.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/pipeline/big_stack_thread.hpp"
#include "dicometl/pipeline/progress.hpp"
#include "dicometl/source/local_walk.hpp"

namespace dicometl::pipeline {

namespace {

// One unit of work, numbered in walk order.
struct Item {
  enum class Kind { kRead, kUnchanged, kProblem } kind = Kind::kRead;
  std::uint64_t index = 0;
  FileStat file;
  std::string reason;  // kProblem
};

struct Result {
  bool unchanged = false;
  ReadOutcome outcome;
  std::string dicom_json;  // encoded by the reader thread, off the writer's critical path
};

// Shared state of one run. One mutex guards the queue and the reorder buffer: contention is
// negligible next to parsing (microseconds of locking per millisecond-scale file).
class RunState {
 public:
  explicit RunState(std::size_t window) : window_(window) {}

  // Walker side.
  void push(Item item) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [&] { return queue_.size() < window_ || aborted_; });
    if (aborted_) return;
    queue_.push_back(std::move(item));
    ++found_;
    work_.notify_one();
  }
  void walk_done() {
    std::lock_guard lock(mu_);
    walk_done_ = true;
    work_.notify_all();
    results_cv_.notify_all();
  }

  // Worker side. Returns false when there is no more work.
  bool pop(Item& out) {
    std::unique_lock lock(mu_);
    work_.wait(lock, [&] { return !queue_.empty() || walk_done_ || aborted_; });
    if (aborted_ || queue_.empty()) return false;
    out = std::move(queue_.front());
    queue_.pop_front();
    space_.notify_one();
    return true;
  }
  void deliver(std::uint64_t index, Result r) {
    std::unique_lock lock(mu_);
    // Bound memory: results may run ahead of the writer by at most one window.
    room_.wait(lock, [&] { return index < next_ + window_ || aborted_; });
    if (aborted_) return;
    results_.emplace(index, std::move(r));
    if (index == next_) results_cv_.notify_one();
  }

  // Writer side: the next result in walk order, or false when all are written.
  bool next(Result& out) {
    std::unique_lock lock(mu_);
    results_cv_.wait(lock, [&] {
      return results_.count(next_) || (walk_done_ && next_ == found_) || aborted_;
    });
    auto it = results_.find(next_);
    if (it == results_.end()) return false;
    out = std::move(it->second);
    results_.erase(it);
    ++next_;
    room_.notify_all();
    return true;
  }
  void abort() {
    std::lock_guard lock(mu_);
    aborted_ = true;
    work_.notify_all();
    space_.notify_all();
    room_.notify_all();
    results_cv_.notify_all();
  }
  std::uint64_t found() {
    std::lock_guard lock(mu_);
    return found_;
  }
  bool walking() {
    std::lock_guard lock(mu_);
    return !walk_done_;
  }

 private:
  const std::size_t window_;
  std::mutex mu_;
  std::condition_variable work_, space_, room_, results_cv_;
  std::deque<Item> queue_;
  std::map<std::uint64_t, Result> results_;
  std::uint64_t found_ = 0, next_ = 0;
  bool walk_done_ = false, aborted_ = false;
};

// What the catalog already knows of one folder's files: loaded when the walk enters the folder,
// so memory follows the folder size, not the archive size.
class KnownFiles {
 public:
  explicit KnownFiles(storage::Database& db)
      : query_(db.prepare("SELECT path, size, mtime_ns FROM file WHERE dir = ?")) {}

  bool unchanged(const FileStat& f) {
    const std::string dir = catalog::parent_dir(f.path);
    if (dir != dir_) load(dir);
    auto it = known_.find(f.path);
    return it != known_.end() && it->second.first == f.size && it->second.second == f.mtime_ns;
  }

 private:
  void load(const std::string& dir) {
    dir_ = dir;
    known_.clear();
    query_->reset();
    query_->bind_text(1, dir);
    while (query_->step())
      known_[query_->column_text(0)] = {static_cast<std::uint64_t>(query_->column_int(1)),
                                        query_->column_int(2)};
  }
  std::unique_ptr<storage::Statement> query_;
  std::string dir_ = std::string(1, '\0');  // no real folder has this name
  std::unordered_map<std::string, std::pair<std::uint64_t, std::int64_t>> known_;
};

Result read_one(const Item& item, const dicom::ReadOptions& options) {
  Result r;
  if (item.kind == Item::Kind::kUnchanged) {
    r.unchanged = true;
    return r;
  }
  if (item.kind == Item::Kind::kProblem) {
    r.outcome = Reject{item.file, RejectKind::kUnreadable, item.reason};
    return r;
  }
  try {
    r.outcome = dicom::read_header(item.file, options);
    if (const auto* inst = std::get_if<Instance>(&r.outcome)) r.dicom_json = to_dicom_json(inst->dataset);
  } catch (const std::exception& e) {
    // The reader reports problems as values; an exception here is a bug or memory exhaustion
    // on one hostile file. Either way the run goes on and the file gets its row.
    r.outcome = Reject{item.file, RejectKind::kCorrupt, std::string("internal error while reading: ") + e.what()};
  }
  return r;
}

}  // namespace

catalog::RunCounts run_ingest(const Connect& connect, const IngestOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto db = connect();
  catalog::ensure_schema(*db);
  catalog::CatalogWriter writer(*db);
  writer.start_run(options.tool_version);
  dicom::initialise();

  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  RunState state(std::max<std::size_t>(1024, 256 * jobs));
  catalog::RunCounts counts;
  auto stop_requested = [&] { return options.stop && options.stop->load(); };

  // Phase 1: walk.
  std::unique_ptr<storage::Database> lookup_db = options.rescan ? nullptr : connect();
  BigStackThread walker([&] {
    try {
      std::unique_ptr<KnownFiles> known = lookup_db ? std::make_unique<KnownFiles>(*lookup_db) : nullptr;
      std::uint64_t index = 0;
      source::WalkVisitor v;
      v.file = [&](const FileStat& f) {
        Item item{known && known->unchanged(f) ? Item::Kind::kUnchanged : Item::Kind::kRead,
                  index++, f, {}};
        state.push(std::move(item));
        return !stop_requested();
      };
      v.problem = [&](const FileStat& f, const std::string& reason) {
        state.push(Item{Item::Kind::kProblem, index++, f, reason});
      };
      source::walk_local(options.roots, v);
    } catch (const std::exception&) {
      state.abort();  // the writer reports the failure
    }
    state.walk_done();
  }, 64u << 20);

  // Phase 2: read.
  std::vector<std::unique_ptr<BigStackThread>> workers;
  for (unsigned i = 0; i < jobs; ++i) {
    workers.push_back(std::make_unique<BigStackThread>([&] {
      Item item;
      while (state.pop(item)) state.deliver(item.index, read_one(item, options.read));
    }));
  }

  // Phase 3: write, in walk order, in batches.
  Progress progress(options.progress);
  bool ok = true;
  try {
    Result r;
    std::size_t in_batch = 0;
    auto last_commit = std::chrono::steady_clock::now();
    db->begin();
    while (state.next(r)) {
      ++counts.seen;
      if (r.unchanged) {
        ++counts.unchanged;
      } else if (auto* inst = std::get_if<Instance>(&r.outcome)) {
        const bool is_new = writer.write(*inst, r.dicom_json);
        ++(is_new ? counts.ingested : counts.duplicates);
        for (auto* sink : options.sinks) sink->on_instance(*inst, is_new);
        ++in_batch;
      } else {
        const auto& rej = std::get<Reject>(r.outcome);
        writer.write(rej);
        const bool not_dicom = rej.kind == RejectKind::kNotDicom || rej.kind == RejectKind::kMediaDirectory;
        ++(not_dicom ? counts.not_dicom : counts.failed);
        ++in_batch;
      }
      const auto now = std::chrono::steady_clock::now();
      if (in_batch >= options.batch_files || (in_batch && now - last_commit > std::chrono::seconds(2))) {
        for (auto* sink : options.sinks) sink->on_batch_end();
        db->commit();
        db->begin();
        in_batch = 0;
        last_commit = now;
      }
      progress.update(counts.seen, state.found(), !state.walking());
    }
    for (auto* sink : options.sinks) sink->on_batch_end();
    db->commit();
  } catch (...) {
    state.abort();
    db->rollback();
    for (auto& w : workers) w->join();
    walker.join();
    progress.finish();
    throw;
  }
  for (auto& w : workers) w->join();
  walker.join();
  progress.finish();
  ok = !stop_requested();
  counts.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  writer.finish_run(counts, ok);
  return counts;
}

}  // namespace dicometl::pipeline
