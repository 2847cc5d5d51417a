// Reading one file's header with DCMTK. Parses up to Pixel Data and leaves large values on disk.
#include "dicometl/dicom/header_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/oflog/oflog.h>

#include "dicometl/dicom/charset.hpp"
#include "dicometl/dicom/element_walk.hpp"
#include "dicometl/dicom/fast_parser.hpp"
#include "dicometl/dicom/key_fields.hpp"
#include "dicometl/dicom/sniff.hpp"

namespace dicometl::dicom {

namespace {

constexpr const char* kMediaStorageDirectory = "1.2.840.10008.1.3.10";
// Values above this size stay on disk (DCMTK loads them lazily, and we never ask).
constexpr Uint32 kMaxReadLength = 64 * 1024;
constexpr std::uint64_t kFirstRead = 16 * 1024;

ReadOutcome finish(Instance&& inst);

Reject reject(const FileStat& file, RejectKind kind, std::string reason) {
  return Reject{file, kind, std::move(reason)};
}

// A local file as a ByteSource: pread from an fd opened on first use.
class LocalFile final : public ByteSource {
 public:
  explicit LocalFile(const std::string& path) : path_(path) {}
  ~LocalFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  LocalFile(const LocalFile&) = delete;
  LocalFile& operator=(const LocalFile&) = delete;

  bool read_prefix(std::size_t want, std::string& buf, std::string& error) override {
    if (fd_ < 0 && (fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC)) < 0) {
      error = std::string("cannot open: ") + std::strerror(errno);
      return false;
    }
    std::size_t have = buf.size();
    buf.resize(want);
    while (have < want) {
      ssize_t n = ::pread(fd_, buf.data() + have, want - have, static_cast<off_t>(have));
      if (n < 0) {
        if (errno == EINTR) continue;
        error = std::string("cannot read: ") + std::strerror(errno);
        buf.resize(have);
        return false;
      }
      if (n == 0) break;
      have += static_cast<std::size_t>(n);
    }
    buf.resize(have);
    return true;
  }
  std::string local_path(std::string&) override { return path_; }

 private:
  const std::string& path_;  // the caller's FileStat outlives this object
  int fd_ = -1;
};

// Fast path: parse the bytes directly; returns false when DCMTK must take over.
bool fast_read(const FileStat& file, ByteSource& bytes, std::string& head,
               const ReadOptions& options, Instance& inst, bool& too_deep, std::string& error) {
  std::size_t needed = 0;
  while (true) {
    const bool complete = head.size() >= file.size;
    switch (fast_parse(head, complete, options, inst.dataset, inst.transfer_syntax_uid, needed)) {
      case FastParse::kDone: return true;
      case FastParse::kTooDeep: too_deep = true; return false;
      case FastParse::kFallback: return false;
      case FastParse::kNeedMore: break;
    }
    // Grow geometrically: a header longer than the first read is rare, a very long one rarer.
    const std::size_t want = static_cast<std::size_t>(
        std::min<std::uint64_t>(file.size, std::max(needed, head.size() * 2)));
    if (want <= head.size() || !bytes.read_prefix(want, head, error)) return false;
  }
}

std::string describe(const OFCondition& cond) {
  std::string text = cond.text();
  // DCMTK's wording for the common cases, said so that a data engineer knows what to do.
  if (cond == EC_StreamNotifyClient || cond == EC_EndOfStream || cond == EC_PrematureSequDelimitationItem)
    return "truncated or corrupt DICOM: " + text;
  return "DICOM parse error: " + text;
}

}  // namespace

void initialise() {
  // Once per process, and only when a file is actually parsed: a no-change re-run never pays
  // for loading DCMTK's dictionary.
  static std::once_flag once;
  std::call_once(once, [] {
    // Quiet DCMTK's own logger: problems are reported per file as values, not as log noise.
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    (void)dcmDataDict.rdlock();
    dcmDataDict.rdunlock();
  });
}

ReadOutcome read_header(const FileStat& file, const ReadOptions& options) {
  LocalFile local(file.path);
  return read_header(file, local, options);
}

ReadOutcome read_header(const FileStat& file, ByteSource& bytes, const ReadOptions& options) {
  initialise();
  std::string head, error;
  // One read covers the whole header of most files; the fast parser asks for more if not.
  if (!bytes.read_prefix(static_cast<std::size_t>(std::min<std::uint64_t>(file.size, kFirstRead)),
                         head, error))
    return reject(file, RejectKind::kUnreadable, error);
  Sniffed sniffed = sniff(head, file.size);
  if (sniffed.layout == FileLayout::kNotDicom)
    return reject(file, RejectKind::kNotDicom, sniffed.reason);

  if (sniffed.layout == FileLayout::kPart10 && !options.force_dcmtk) {
    Instance inst;
    inst.file = file;
    bool too_deep = false;
    if (fast_read(file, bytes, head, options, inst, too_deep, error)) return finish(std::move(inst));
    if (!error.empty()) return reject(file, RejectKind::kUnreadable, error);
    if (too_deep)
      return reject(file, RejectKind::kCorrupt,
                    "sequences nested deeper than " + std::to_string(options.max_sequence_depth) + " levels");
  }

  const std::string path = bytes.local_path(error);
  if (path.empty()) return reject(file, RejectKind::kUnreadable, error);
  DcmFileFormat format;
  const E_FileReadMode mode =
      sniffed.layout == FileLayout::kPart10 ? ERM_fileOnly : ERM_dataset;
  OFCondition cond;
  try {
    cond = format.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, kMaxReadLength, mode,
                                   DCM_PixelData);
  } catch (const std::exception& e) {
    // DCMTK reports through OFCondition, but some malformed values make the standard library
    // throw inside it (found by tests/fuzz: a DICOMDIR record type string erased past its end).
    return reject(file, RejectKind::kCorrupt,
                  std::string("corrupt DICOM: the DICOM toolkit failed on a malformed value (") +
                      e.what() + ")");
  }
  if (cond.bad()) return reject(file, RejectKind::kCorrupt, describe(cond));

  DcmMetaInfo* meta = format.getMetaInfo();
  DcmDataset* data = format.getDataset();
  if (!data) return reject(file, RejectKind::kCorrupt, "no dataset after the meta header");

  const char* charset = nullptr;
  data->findAndGetString(DCM_SpecificCharacterSet, charset);
  CharsetDecoder decoder(charset ? charset : "");

  Instance inst;
  inst.file = file;
  Dataset& ds = inst.dataset;
  if (meta && !walk_item(*meta, decoder, options, 0, ds, error))
    return reject(file, RejectKind::kCorrupt, error);
  if (!walk_item(*data, decoder, options, 0, ds, error))
    return reject(file, RejectKind::kCorrupt, error);

  inst.transfer_syntax_uid = ds.text(tags::kTransferSyntaxUid);
  if (inst.transfer_syntax_uid.empty()) {
    DcmXfer xfer(data->getOriginalXfer());
    inst.transfer_syntax_uid = xfer.getXferID();
  }
  return finish(std::move(inst));
}

namespace {
// Shared by both paths: the named fields, and the checks a catalog needs.
ReadOutcome finish(Instance&& inst) {
  const FileStat& file = inst.file;
  fill_key_fields(inst);
  const Dataset& ds = inst.dataset;
  if (ds.text(tags::kMediaStorageSopClassUid) == kMediaStorageDirectory)
    return reject(file, RejectKind::kMediaDirectory, "DICOMDIR: a media directory index, not an image");
  if (inst.sop_instance_uid.empty())
    return reject(file, RejectKind::kIncomplete, "no SOP Instance UID (0008,0018): cannot identify the instance");
  if (inst.study_instance_uid.empty() || inst.series_instance_uid.empty())
    return reject(file, RejectKind::kIncomplete,
                  "no Study or Series Instance UID (0020,000D/000E): cannot place it in a study");
  return std::move(inst);
}
}  // namespace

}  // namespace dicometl::dicom
