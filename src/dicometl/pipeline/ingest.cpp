#include "dicometl/pipeline/ingest.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/pipeline/big_stack_thread.hpp"
#include "dicometl/pipeline/prefetch.hpp"
#include "dicometl/pipeline/progress.hpp"
#include "dicometl/source/local_walk.hpp"
#include "dicometl/source/make_source.hpp"

namespace dicometl::pipeline {

namespace {

// One unit of work, numbered in walk order.
struct Item {
  enum class Kind { kRead, kUnchanged, kProblem } kind = Kind::kRead;
  std::uint64_t index = 0;
  FileStat file;
  std::string reason;    // kProblem
  bool new_path = true;  // the catalog has never recorded this path: nothing stale to clean up
  bool still_rejected = false;                   // kUnchanged: its last read was a reject
  std::shared_ptr<Prefetcher::Slot> prefetched;  // --io-depth: its first bytes, read ahead
};

struct Result {
  bool skipped = false;  // not read: the run was stopped first (nothing is written for it)
  bool unchanged = false;
  bool still_rejected = false;
  bool new_path = true;
  ReadOutcome outcome;
  std::string dicom_json;  // encoded by the reader thread, off the writer's critical path
};

struct Batch {
  std::uint64_t index = 0;  // batches are numbered in walk order
  std::vector<Item> items;
  std::vector<Result> results;
};

// Shared state of one run: a queue of batches to read, and a reorder buffer of read batches that
// the writer drains in walk order.
class RunState {
 public:
  explicit RunState(std::size_t window_batches) : window_(window_batches) {}

  // Walker side.
  void push(Batch batch) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [&] { return queue_.size() < window_ || aborted_; });
    if (aborted_) return;
    found_ += batch.items.size();
    ++batches_;
    queue_.push_back(std::move(batch));
    work_.notify_one();
  }
  void walk_done() {
    std::lock_guard lock(mu_);
    walk_done_ = true;
    work_.notify_all();
    results_cv_.notify_all();
  }

  // Worker side. Returns false when there is no more work. A worker also frees one batch the
  // writer is done with: freeing thousands of parsed elements costs about a third of the
  // writer's time, and the writer is the one thread that cannot be parallel.
  bool pop(Batch& out) {
    Batch spent;  // destroyed after the lock is released
    std::unique_lock lock(mu_);
    if (!spent_.empty()) {
      spent = std::move(spent_.front());
      spent_.pop_front();
    }
    work_.wait(lock, [&] { return !queue_.empty() || walk_done_ || aborted_; });
    if (aborted_ || queue_.empty()) return false;
    out = std::move(queue_.front());
    queue_.pop_front();
    space_.notify_one();
    return true;
  }
  void deliver(Batch batch) {
    std::unique_lock lock(mu_);
    // Bound memory: read batches may run ahead of the writer by at most one window.
    room_.wait(lock, [&] { return batch.index < next_ + window_ || aborted_; });
    if (aborted_) return;
    const bool wake = batch.index == next_;
    const std::uint64_t index = batch.index;
    results_.emplace(index, std::move(batch));
    if (wake) results_cv_.notify_one();
  }

  // Writer side: whether next() would return at once.
  bool ready() {
    std::lock_guard lock(mu_);
    return results_.count(next_) || (walk_done_ && next_ == batches_) || aborted_;
  }
  // Writer side: the next batch in walk order, or false when all are written.
  bool next(Batch& out) {
    std::unique_lock lock(mu_);
    results_cv_.wait(lock, [&] {
      return results_.count(next_) || (walk_done_ && next_ == batches_) || aborted_;
    });
    auto it = results_.find(next_);
    if (it == results_.end()) return false;
    out = std::move(it->second);
    results_.erase(it);
    ++next_;
    room_.notify_all();
    return true;
  }
  // Writer side: hands a written batch to the workers to free (see pop).
  void retire(Batch batch) {
    std::lock_guard lock(mu_);
    spent_.push_back(std::move(batch));
  }
  void abort() {
    std::lock_guard lock(mu_);
    aborted_ = true;
    work_.notify_all();
    space_.notify_all();
    room_.notify_all();
    results_cv_.notify_all();
  }
  bool aborted() {
    std::lock_guard lock(mu_);
    return aborted_;
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
  std::deque<Batch> queue_, spent_;
  std::map<std::uint64_t, Batch> results_;
  std::uint64_t found_ = 0, batches_ = 0, next_ = 0;
  bool walk_done_ = false, aborted_ = false;
};

// What the catalog already knows of the files being walked. A catalog of up to kPreloadFiles
// files is read in one query (a re-run then costs one scan, not a query per folder); a larger one
// is read folder by folder as the walk enters it, so memory follows the folder size, not the
// archive size.
class KnownFiles {
 public:
  static constexpr std::int64_t kPreloadFiles = 250000;  // ~40 MB of map at most

  explicit KnownFiles(storage::Database& db)
      : query_(db.prepare("SELECT path, size, mtime_ns, status FROM file WHERE dir = ?")) {
    auto count = db.prepare("SELECT count(*) FROM file");
    if (count->step() && count->column_int(0) <= kPreloadFiles) {
      auto all = db.prepare("SELECT path, size, mtime_ns, status FROM file");
      read_rows(*all);
      preloaded_ = true;
    }
  }

  // kStillRejected: unchanged, and its last read was a reject. A file marked missing that is
  // back is read again, whatever its size and mtime (it is present again).
  enum class State { kNew, kChanged, kUnchanged, kStillRejected };
  State state(const FileStat& f) {
    if (!preloaded_) {
      const std::string dir = catalog::parent_dir(f.path);
      if (dir != dir_) load(dir);
    }
    auto it = known_.find(f.path);
    if (it == known_.end()) return State::kNew;
    Known& k = it->second;
    k.met = true;
    if (k.status == 'm' || k.size != f.size || k.mtime_ns != f.mtime_ns) return State::kChanged;
    return k.status == 'r' ? State::kStillRejected : State::kUnchanged;
  }
  // Whether the whole catalog was read at once: then unmet() answers without another query.
  bool preloaded() const { return preloaded_; }
  // Catalogued files (not already missing) the walk did not meet; only when preloaded().
  std::vector<std::string> unmet() const {
    std::vector<std::string> out;
    for (const auto& [path, k] : known_)
      if (!k.met && k.status != 'm') out.push_back(path);
    return out;
  }

 private:
  void load(const std::string& dir) {
    dir_ = dir;
    known_.clear();
    query_->reset();
    query_->bind_text(1, dir);
    read_rows(*query_);
  }
  struct Known {
    std::uint64_t size;
    std::int64_t mtime_ns;
    char status;       // first letter of file.status: i(ngested) d(uplicate) r(ejected) m(issing)
    bool met = false;  // the walk met it
  };
  void read_rows(storage::Statement& q) {
    while (q.step()) {
      const std::string status = q.column_text(3);
      known_[q.column_text(0)] = {static_cast<std::uint64_t>(q.column_int(1)), q.column_int(2),
                                  status.empty() ? ' ' : status[0]};
    }
  }
  std::unique_ptr<storage::Statement> query_;
  bool preloaded_ = false;
  std::string dir_ = std::string(1, '\0');  // no real folder has this name
  std::unordered_map<std::string, Known> known_;
};

// Test hook (DICOMETL_TEST_READ_GATE=PATH): the walker creates PATH.walked when the walk is done,
// and a reader waits before the file with walk index i while PATH does not exist or holds a
// number n <= i (empty: no limit). Tests change files between walk and read with it, or stop a
// run after exactly n files; unset, it costs one getenv per run.
struct ReadGate {
  std::string path;
  explicit ReadGate(const char* env) : path(env ? env : "") {}
  void walked() const {
    if (path.empty()) return;
    if (std::FILE* f = std::fopen((path + ".walked").c_str(), "w")) std::fclose(f);
  }
  // False when the run was stopped while waiting.
  bool wait(std::uint64_t index, const std::function<bool()>& stopped) const {
    if (path.empty()) return true;
    while (true) {
      if (std::FILE* f = std::fopen(path.c_str(), "r")) {
        unsigned long long limit = 0;
        const bool limited = std::fscanf(f, "%llu", &limit) == 1;
        std::fclose(f);
        if (!limited || index < limit) return true;
      }
      if (stopped()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
};

// The paths a walk met, to find the catalogued files it no longer meets: 8 bytes per file (a
// hash; a collision could only hide one missing file), and the few paths it could not use
// (nothing under a folder it could not read is called missing: the folder may be back).
class WalkedPaths {
 public:
  void file(const std::string& path) { hashes_.push_back(std::hash<std::string>{}(path)); }
  void problem(const std::string& path) {
    file(path);
    problems_.push_back(path);
  }
  void done() { std::sort(hashes_.begin(), hashes_.end()); }
  bool met(const std::string& path) const {
    if (std::binary_search(hashes_.begin(), hashes_.end(), std::hash<std::string>{}(path)))
      return true;
    for (const auto& p : problems_)
      if (path.size() > p.size() && path.compare(0, p.size(), p) == 0 && path[p.size()] == '/')
        return true;
    return false;
  }

 private:
  std::vector<std::size_t> hashes_;
  std::vector<std::string> problems_;
};

Result read_one(const Item& item, source::Source& from, const dicom::ReadOptions& options) {
  Result r;
  r.new_path = item.new_path;
  if (item.kind == Item::Kind::kUnchanged) {
    r.unchanged = true;
    r.still_rejected = item.still_rejected;
    return r;
  }
  if (item.kind == Item::Kind::kProblem) {
    r.outcome = Reject{item.file, RejectKind::kUnreadable, item.reason};
    return r;
  }
  try {
    std::unique_ptr<ByteSource> bytes =
        item.prefetched ? Prefetcher::bytes(item.prefetched) : from.open(item.file);
    r.outcome = bytes ? dicom::read_header(item.file, *bytes, options)
                      : dicom::read_header(item.file, options);
    if (const auto* inst = std::get_if<Instance>(&r.outcome)) {
      // Sized like this thread's previous file (the files of a series have alike headers): one
      // allocation instead of a doubling chain up to ~13 KB on a scanner's header.
      thread_local std::size_t last_json = 4096;
      r.dicom_json.reserve(last_json + last_json / 8);
      append_dicom_json(inst->dataset, r.dicom_json, inst->file.path);
      last_json = r.dicom_json.size();
    }
  } catch (const std::exception& e) {
    // The reader reports problems as values; an exception here is a bug or memory exhaustion
    // on one hostile file. Either way the run goes on and the file gets its row.
    r.outcome = Reject{item.file, RejectKind::kCorrupt,
                       std::string("internal error while reading: ") + e.what()};
  }
  return r;
}

}  // namespace

catalog::RunCounts run_ingest(const Connect& connect, const IngestOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto db = connect();
  const bool deferred_indexes = catalog::ensure_schema(*db, /*allow_deferred_indexes=*/true);
  catalog::CatalogWriter writer(*db);
  writer.start_run(options.tool_version);
  for (auto* sink : options.sinks) sink->on_start(*db);
  db->bulk_load(true);

  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  // Batches in flight (parsed, not yet written) bound memory. Three per reader keep the writer fed;
  // more only spreads the parsed headers (~90 KB each on a scanner's) over more memory that is
  // cold in the cache when written and freed (16 on 2 cores cost ~8% more CPU, bench/).
  RunState state(std::max<std::size_t>(6, 3 * jobs));
  catalog::RunCounts counts;
  auto stop_requested = [&] { return options.stop && options.stop->load(); };
  const ReadGate gate(std::getenv("DICOMETL_TEST_READ_GATE"));

  // Without an explicit source, roots may still name s3:// prefixes (AWS settings from the
  // environment and shared files): every command that ingests accepts them.
  std::shared_ptr<source::Source> from =
      options.source ? options.source : source::make_source(options.roots);

  // Reads ahead of the parsing threads (--io-depth, or as the storage suggests); declared
  // before them, so it outlives them.
  std::string storage;
  const unsigned io_depth =
      options.io_depth ? *options.io_depth : from->suggested_io_depth(storage);
  if (!options.io_depth && io_depth && options.progress)
    std::fprintf(stderr, "dicometl: %s: %u reads in flight (--io-depth %u; 0 turns it off)\n",
                 storage.c_str(), io_depth, io_depth);
  std::unique_ptr<Prefetcher> prefetcher =
      io_depth ? std::make_unique<Prefetcher>(io_depth, *from) : nullptr;

  // Phase 1: walk.
  std::unique_ptr<storage::Database> lookup_db = options.rescan ? nullptr : connect();
  WalkedPaths walked;
  std::unique_ptr<KnownFiles> known;  // the walker's; read here once it has ended
  std::string walk_error;
  BigStackThread walker(
      [&] {
        try {
          if (lookup_db) known = std::make_unique<KnownFiles>(*lookup_db);
          std::uint64_t index = 0;
          Batch batch;
          auto add = [&](Item item) {
            item.index = index++;
            if (prefetcher && item.kind == Item::Kind::kRead)
              item.prefetched = prefetcher->submit(item.file);
            batch.items.push_back(std::move(item));
            if (batch.items.size() == kFilesPerBatch) {
              state.push(std::move(batch));
              batch = Batch{};
              batch.index = index / kFilesPerBatch;
            }
          };
          source::WalkVisitor v;
          // Slow storage: folders and stats ahead of the walk too, half as many threads as
          // reads ahead (source::kMaxLookaheadThreads says why at most that many).
          v.lookahead_threads = std::min(source::kMaxLookaheadThreads, (io_depth + 1) / 2);
          v.file = [&](const FileStat& f) {
            walked.file(f.path);
            const auto st = known ? known->state(f) : KnownFiles::State::kChanged;
            const bool still_rejected = st == KnownFiles::State::kStillRejected;
            const bool unchanged = st == KnownFiles::State::kUnchanged || still_rejected;
            add(Item{unchanged ? Item::Kind::kUnchanged : Item::Kind::kRead,
                     0,
                     f,
                     {},
                     st == KnownFiles::State::kNew,
                     still_rejected,
                     nullptr});
            return !stop_requested() && !state.aborted();
          };
          v.problem = [&](const FileStat& f, const std::string& reason) {
            walked.problem(f.path);
            add(Item{Item::Kind::kProblem, 0, f, reason, false, false, nullptr});
          };
          from->walk(v);
          if (!batch.items.empty()) state.push(std::move(batch));
          gate.walked();
        } catch (const std::exception& e) {
          walk_error = e.what();
          state.abort();  // the writer reports the failure
        }
        state.walk_done();
      },
      64u << 20, "walk");

  // Phase 2: read.
  std::vector<std::unique_ptr<BigStackThread>> workers;
  for (unsigned i = 0; i < jobs; ++i) {
    workers.push_back(std::make_unique<BigStackThread>(
        [&] {
          Batch batch;
          while (state.pop(batch)) {
            batch.results.reserve(batch.items.size());
            for (const Item& item : batch.items) {
              // Once stopped, files are left for the next run: the writer commits what it has.
              if (stop_requested() || !gate.wait(item.index, stop_requested)) {
                Result skipped;
                skipped.skipped = true;
                batch.results.push_back(std::move(skipped));
                continue;
              }
              batch.results.push_back(read_one(item, *from, options.read));
            }
            state.deliver(std::move(batch));
          }
        },
        BigStackThread::kDefaultStack, "read"));
  }

  // Phase 3: write, in walk order, in batches.
  Progress progress(options.progress);
  bool ok = true;
  try {
    Batch batch;
    std::vector<catalog::CatalogWriter::BatchEntry> entries;
    std::size_t in_batch = 0;
    auto last_commit = std::chrono::steady_clock::now();
    db->begin();
    bool open = true;  // a transaction is open (yield_writer_lock closes it while waiting)
    const bool profile = std::getenv("DICOMETL_PROFILE") != nullptr;
    double write_s = 0, wait_s = 0, commit_s = 0;
    auto t0 = std::chrono::steady_clock::now();
    while (true) {
      if (options.yield_writer_lock && open && !state.ready()) {
        for (auto* sink : options.sinks) sink->on_batch_end();
        db->commit();
        open = false;
        in_batch = 0;
        last_commit = std::chrono::steady_clock::now();
      }
      if (!state.next(batch)) break;
      if (!open) {
        db->begin();
        open = true;
      }
      auto t1 = std::chrono::steady_clock::now();
      wait_s += std::chrono::duration<double>(t1 - t0).count();
      // Instances go in together (few statements per batch); rejects one by one (rare).
      entries.clear();
      for (Result& r : batch.results) {
        if (r.skipped) continue;
        ++counts.seen;
        if (r.unchanged) {
          ++counts.unchanged;
          if (r.still_rejected) ++counts.still_rejected;
          continue;
        }
        ++in_batch;
        if (auto* inst = std::get_if<Instance>(&r.outcome)) {
          entries.push_back({inst, r.dicom_json, r.new_path});
        } else {
          const auto& rej = std::get<Reject>(r.outcome);
          writer.write(rej, r.new_path);
          const bool not_dicom =
              rej.kind == RejectKind::kNotDicom || rej.kind == RejectKind::kMediaDirectory;
          ++(not_dicom ? counts.not_dicom : counts.failed);
        }
      }
      if (!entries.empty()) {
        const std::vector<bool> is_new = writer.write_batch(entries);
        for (std::size_t k = 0; k < entries.size(); ++k)
          ++(is_new[k] ? counts.ingested : counts.duplicates);
        if (!options.sinks.empty()) {
          std::vector<const Instance*> group;
          group.reserve(entries.size());
          for (const auto& e : entries) group.push_back(e.inst);
          for (auto* sink : options.sinks) sink->on_instances(group, is_new);
        }
      }
      const auto now = std::chrono::steady_clock::now();
      write_s += std::chrono::duration<double>(now - t1).count();
      if (in_batch >= options.batch_files ||
          (in_batch && now - last_commit > std::chrono::seconds(2))) {
        for (auto* sink : options.sinks) sink->on_batch_end();
        db->commit();
        db->begin();
        in_batch = 0;
        last_commit = now;
        commit_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - now).count();
      }
      state.retire(std::move(batch));
      batch = Batch{};
      t0 = std::chrono::steady_clock::now();
      progress.update(counts.seen, state.found(), !state.walking());
      if (stop_requested()) {
        state.abort();  // readers and walker stop; what was written is committed below
        break;
      }
    }
    if (profile)
      std::fprintf(stderr, "writer: waiting %.3f s, writing %.3f s, committing %.3f s\n", wait_s,
                   write_s, commit_s);
    if (!walk_error.empty()) throw std::runtime_error("walking the folders failed: " + walk_error);
    if (open) {
      for (auto* sink : options.sinks) sink->on_batch_end();
      db->commit();
    }
  } catch (...) {
    // The error in flight is the one to report: cleaning up after it must not replace it.
    state.abort();
    try {
      db->rollback();
      db->bulk_load(false);
    } catch (const std::exception&) {
    }
    for (auto& w : workers) w->join();
    walker.join();
    progress.finish();
    throw;
  }
  for (auto& w : workers) w->join();
  walker.join();
  progress.finish();
  ok = !stop_requested();
  counts.conflicts = writer.conflicts();
  // Only a whole walk can tell which files are gone.
  if (ok) {
    const auto missing_start = std::chrono::steady_clock::now();
    walked.done();
    auto unseen = [&](const std::string& path) { return from->covers(path) && !walked.met(path); };
    std::vector<std::string> gone;
    if (known && known->preloaded()) {
      for (auto& p : known->unmet())
        if (unseen(p)) gone.push_back(std::move(p));
    } else {
      gone = catalog::unseen_files(*db, from->catalog_roots(), unseen, writer.run_id());
    }
    counts.missing = catalog::mark_missing(*db, gone, writer.run_id());
    if (std::getenv("DICOMETL_PROFILE"))
      std::fprintf(
          stderr, "missing files: %.3f s\n",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - missing_start).count());
  }
  const auto tail_start = std::chrono::steady_clock::now();
  db->bulk_load(false);
  const auto indexes_start = std::chrono::steady_clock::now();
  if (deferred_indexes) catalog::ensure_indexes(*db);
  if (std::getenv("DICOMETL_PROFILE"))
    std::fprintf(
        stderr, "after the loop: checkpoint %.3f s, indexes %.3f s; loop ended at %.3f s\n",
        std::chrono::duration<double>(indexes_start - tail_start).count(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - indexes_start).count(),
        std::chrono::duration<double>(tail_start - started).count());
  counts.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  writer.finish_run(counts, ok);
  return counts;
}

}  // namespace dicometl::pipeline
