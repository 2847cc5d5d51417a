// Reading one file's header with DCMTK. Parses up to Pixel Data and leaves large values on disk.
#include "dicometl/dicom/header_reader.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcvr.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/oflog/oflog.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>

#include "dicometl/dicom/charset.hpp"
#include "dicometl/dicom/element_walk.hpp"
#include "dicometl/dicom/fast_parser.hpp"
#include "dicometl/dicom/header_stream.hpp"
#include "dicometl/dicom/inflate_header.hpp"
#include "dicometl/dicom/key_fields.hpp"
#include "dicometl/dicom/read_limits.hpp"
#include "dicometl/dicom/sniff.hpp"
#include "dicometl/model/local_file.hpp"
#include "dicometl/model/path_text.hpp"

namespace dicometl::dicom {

namespace {

constexpr const char* kMediaStorageDirectory = "1.2.840.10008.1.3.10";
constexpr const char* kDeflatedSyntax = "1.2.840.10008.1.2.1.99";
// Values above this size stay on disk (DCMTK loads them lazily, and we never ask).
constexpr Uint32 kMaxReadLength = kMaxLoadedValue;
constexpr std::size_t kPage = 4096;
constexpr std::size_t kDefaultFirstRead = 8 * 1024;  // the bare floor's read (bench/bare_read.cpp)
constexpr std::size_t kMaxFirstRead = 64 * 1024;

// Where the most recent plain (not deflated) header ended. Files of one series have headers of
// nearly the same size, so the next first read asks for that (plus a margin) and nothing more.
std::atomic<std::size_t> g_recent_header_end{0};

std::size_t round_to_pages(std::size_t n) { return (n + kPage - 1) / kPage * kPage; }

ReadOutcome finish(Instance&& inst);

Reject reject(const FileStat& file, RejectKind kind, std::string reason) {
  return Reject{file, kind, std::move(reason)};
}

// Reads [0, want) into `head`; a short read means the file shrank since the walk.
bool read_more(const FileStat& file, ByteSource& bytes, std::size_t want, std::string& head,
               std::string& error) {
  if (!bytes.read_prefix(want, head, error)) return false;
  if (head.size() < want) {
    error = changed_while_reading(file.size, head.size());
    return false;
  }
  return true;
}

enum class Fast { kDone, kFallback, kReject };

// A deflated file's meta header followed by its inflated dataset (bounded by kMaxHeaderBytes).
struct Inflated {
  std::string bytes;
  std::size_t dataset_start = 0;
};

// Fast path: parse the bytes directly. kFallback: DCMTK must take over; kReject: `rej` says why.
// A deflated dataset is inflated (at most kMaxHeaderBytes) and parsed the same way; when DCMTK must
// take over such a file (or force_dcmtk), it gets the inflated bytes in `inflated`, not the file.
Fast fast_read(const FileStat& file, ByteSource& bytes, std::string& head,
               const ReadOptions& options, Instance& inst, Inflated& inflated, Reject& rej) {
  std::size_t needed = 0;
  std::unique_ptr<HeaderInflater> inflater;
  std::string error;
  auto fail = [&](RejectKind kind, std::string reason) {
    rej = reject(file, kind, std::move(reason));
    return Fast::kReject;
  };
  auto capped = [&] {
    return fail(RejectKind::kCorrupt, "deflated header inflates to more than " +
                                          std::to_string(kMaxHeaderBytes >> 20) +
                                          " MiB before Pixel Data (limit on memory per file)");
  };
  auto grow = [&](std::size_t want) {
    switch (inflater->grow_to(want, kMaxHeaderBytes, error)) {
      case HeaderInflater::Step::kOk: return true;
      case HeaderInflater::Step::kCapped: capped(); return false;
      case HeaderInflater::Step::kFailed:
        fail(error.rfind("changed", 0) == 0 ? RejectKind::kUnreadable : RejectKind::kCorrupt,
             error);
        return false;
    }
    return false;
  };
  // DCMTK parses the inflated bytes: all of them up to the cap when the fast parser could not
  // tell where the header ends.
  auto to_dcmtk = [&](bool header_complete) {
    if (!header_complete) {
      if (!grow(kMaxHeaderBytes)) return Fast::kReject;
      if (!inflater->complete()) return capped();
    } else if (!grow(std::min(inflater->out().size() + (64u << 10), kMaxHeaderBytes))) {
      return Fast::kReject;  // (a little past Pixel Data's tag: DCMTK reads its element header)
    }
    inflated.bytes = inflater->out();
    return Fast::kFallback;
  };
  while (true) {
    const std::string_view view = inflater ? std::string_view(inflater->out()) : head;
    const bool complete = inflater ? inflater->complete() : head.size() >= file.size;
    const FastParse parsed =
        fast_parse(view, complete, options, inst.dataset, inst.transfer_syntax_uid, needed,
                   inflater != nullptr, &inst.warning);
    switch (parsed) {
      case FastParse::kDone:
        if (!inflater) g_recent_header_end.store(needed, std::memory_order_relaxed);
        if (options.force_dcmtk) return inflater ? to_dcmtk(true) : Fast::kFallback;
        return Fast::kDone;
      case FastParse::kTooDeep:
        if (options.force_dcmtk && !inflater) return Fast::kFallback;
        return fail(RejectKind::kCorrupt, "sequences nested deeper than " +
                                              std::to_string(options.max_sequence_depth) +
                                              " levels");
      case FastParse::kFallback: return inflater ? to_dcmtk(false) : Fast::kFallback;
      case FastParse::kDeflated:
        inflater = std::make_unique<HeaderInflater>(bytes, head, file.size, needed);
        inflated.dataset_start = needed;
        needed = 0;
        break;
      case FastParse::kNeedMore: break;
    }
    if (inflater) {
      // Doubling stops at the cap; only a header that needs more than the cap is refused.
      if (!grow(std::max(needed, std::min(inflater->out().size() * 2, kMaxHeaderBytes))))
        return Fast::kReject;
      continue;
    }
    // Grow geometrically, in whole pages: a header longer than the first read is rare (the first
    // read follows the recent headers' size), a very long one rarer.
    const std::size_t want = static_cast<std::size_t>(
        std::min<std::uint64_t>(file.size, std::max(round_to_pages(needed), head.size() * 2)));
    if (want <= head.size()) return Fast::kFallback;
    // Large values before Pixel Data: DCMTK skips them on disk instead of reading them here.
    if (want > kMaxHeaderBytes) return Fast::kFallback;
    if (!read_more(file, bytes, want, head, error)) return fail(RejectKind::kUnreadable, error);
  }
}

// Whether DCMTK reads the meta header as announcing a deflated dataset (meta only: bounded).
bool deflated_per_dcmtk(ByteSource& bytes, std::string& error) {
  const std::string path = bytes.local_path(error);
  if (path.empty()) return false;
  DcmFileFormat format;
  try {
    if (load_header(format, path, ERM_metaOnly, kMaxReadLength, DCM_UndefinedTagKey).bad())
      return false;
  } catch (const std::exception&) {
    return false;
  }
  const char* ts = nullptr;
  return format.getMetaInfo() &&
         format.getMetaInfo()->findAndGetString(DCM_TransferSyntaxUID, ts).good() && ts &&
         std::string_view(ts) == kDeflatedSyntax;
}

std::string describe(const OFCondition& cond) {
  std::string text = cond.text();
  // DCMTK's wording for the common cases, said so that a data engineer knows what to do.
  if (cond == EC_StreamNotifyClient || cond == EC_EndOfStream ||
      cond == EC_PrematureSequDelimitationItem)
    return "truncated or corrupt DICOM: " + text;
  return "DICOM parse error: " + text;
}

// DCMTK on an inflated dataset held in memory (the fast parser declined it): the meta header's
// elements are already in `inst` (the fast parser read them), the dataset's are appended.
ReadOutcome dcmtk_read_inflated(const FileStat& file, const Inflated& inflated, Instance&& inst,
                                const ReadOptions& options) {
  // Keep the meta header's elements only: a fast parse that declined may have left more.
  auto& els = inst.dataset.elements;
  els.erase(std::find_if(els.begin(), els.end(),
                         [](const Element& e) { return tag_group(e.tag) != 0x0002; }),
            els.end());
  const std::size_t start = inflated.dataset_start;
  DcmInputBufferStream in;
  in.setBuffer(inflated.bytes.data() + start,
               static_cast<offile_off_t>(inflated.bytes.size() - start));
  in.setEos();
  DcmDataset data;
  data.transferInit();
  OFCondition cond;
  try {
    cond = data.readUntilTag(in, EXS_LittleEndianExplicit, EGL_noChange, kMaxReadLength,
                             DCM_PixelData);
  } catch (const std::exception& e) {
    return reject(file, RejectKind::kCorrupt,
                  std::string("corrupt DICOM: the DICOM toolkit failed on a malformed value (") +
                      e.what() + ")");
  }
  data.transferEnd();
  if (cond.bad() && cond != EC_StreamNotifyClient)
    return reject(file, RejectKind::kCorrupt, describe(cond));
  if (cond == EC_StreamNotifyClient)
    return reject(file, RejectKind::kCorrupt,
                  "truncated or corrupt DICOM: the deflated data set ends early");
  const char* charset = nullptr;
  data.findAndGetString(DCM_SpecificCharacterSet, charset);
  CharsetDecoder decoder(charset ? charset : "");
  TextReport text;
  decoder.report_to(&text);
  std::string error;
  Dataset ds;
  if (!walk_item(data, decoder, options, 0, ds, error))
    return reject(file, RejectKind::kCorrupt, error);
  for (auto& e : ds.elements) inst.dataset.elements.push_back(std::move(e));
  inst.parser = HeaderParser::kDcmtk;
  inst.warning.clear();  // a forced DCMTK read says only what DCMTK's walk met
  text.append_to(inst.warning);
  return finish(std::move(inst));
}

}  // namespace

void initialise() {
  // Once per process, and only when a file is actually parsed: a no-change re-run never pays
  // for loading DCMTK's dictionary.
  static std::once_flag once;
  std::call_once(once, [] {
    // Quiet DCMTK's own logger: problems are reported per file as values, not as log noise.
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    // UN of a known tag reads by the dictionary's VR (as the fast parser and pydicom do): PACS
    // re-encode elements they do not know, UIDs and private creators included, as UN.
    dcmEnableUnknownVRConversion.set(OFTrue);
    // An implicit VR dataset under an explicit VR syntax is read as implicit (the fast parser
    // says so in Instance::warning).
    dcmAcceptUnexpectedImplicitEncoding.set(OFTrue);
    (void)dcmDataDict.rdlock();
    dcmDataDict.rdunlock();
  });
}

std::size_t first_read_size() {
  const std::size_t recent = g_recent_header_end.load(std::memory_order_relaxed);
  if (recent == 0) return kDefaultFirstRead;
  // A margin for values whose length varies from file to file (positions, times, counters).
  return std::clamp(round_to_pages(recent + 512), kPage, kMaxFirstRead);
}

ReadOutcome read_header(const FileStat& file, const ReadOptions& options) {
  const std::string path = decode_path(file.path);  // catalog text → file system bytes
  LocalFile local(path);
  return read_header(file, local, options);
}

ReadOutcome read_header(const FileStat& file, ByteSource& bytes, const ReadOptions& options) {
  initialise();
  std::string head, error;
  // One read covers the whole header of most files; the fast parser asks for more if not.
  if (!read_more(file, bytes,
                 static_cast<std::size_t>(std::min<std::uint64_t>(file.size, first_read_size())),
                 head, error))
    return reject(file, RejectKind::kUnreadable, error);
  Sniffed sniffed = sniff(head, file.size);
  if (sniffed.layout == FileLayout::kNotDicom)
    return reject(file, RejectKind::kNotDicom, sniffed.reason);

  if (sniffed.layout == FileLayout::kPart10) {
    Instance inst;
    inst.file = file;
    Inflated inflated;
    Reject rej;
    switch (fast_read(file, bytes, head, options, inst, inflated, rej)) {
      case Fast::kDone: return finish(std::move(inst));
      case Fast::kReject: return rej;
      case Fast::kFallback:
        if (!inflated.bytes.empty())
          return dcmtk_read_inflated(file, inflated, std::move(inst), options);
        break;
    }
    // A deflated file the fast parser could not even start (odd meta header) would make DCMTK
    // inflate without limit: refuse it.
    if (head.find(kDeflatedSyntax) != std::string::npos && deflated_per_dcmtk(bytes, error))
      return reject(file, RejectKind::kCorrupt,
                    "deflated data set after a meta header this reader cannot parse: not read "
                    "(its inflated size could not be bounded)");
  }
  const std::string path = bytes.local_path(error);
  if (path.empty()) return reject(file, RejectKind::kUnreadable, error);
  DcmFileFormat format;
  const E_FileReadMode mode = sniffed.layout == FileLayout::kPart10 ? ERM_fileOnly : ERM_dataset;
  OFCondition cond;
  try {
    // Values past the inline size stay on disk, so walk_item learns where bulk values start (the
    // BulkDataURI); text values up to kMaxLoadedValue are loaded when walk_item asks for them.
    const auto read_length =
        static_cast<Uint32>(std::min<std::size_t>(options.max_inline_binary, kMaxReadLength));
    cond = load_header(format, path, mode, read_length, DCM_PixelData);
  } catch (const std::exception& e) {
    // DCMTK reports through OFCondition, but some malformed values make the standard library
    // throw inside it (found by tests/fuzz: a DICOMDIR record type string erased past its end).
    return reject(file, RejectKind::kCorrupt,
                  std::string("corrupt DICOM: the DICOM toolkit failed on a malformed value (") +
                      e.what() + ")");
  }
  // DCMTK read the file by path, to its end: a file rewritten meanwhile is not what the walk saw.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && static_cast<std::uint64_t>(st.st_size) != file.size)
    return reject(file, RejectKind::kUnreadable,
                  changed_while_reading(file.size, static_cast<std::uint64_t>(st.st_size)));
  // DCMTK says "header missing" when the Part 10 header is there but has no transfer syntax.
  if (cond == EC_FileMetaInfoHeaderMissing && sniffed.layout == FileLayout::kPart10)
    return reject(file, RejectKind::kCorrupt,
                  "file meta information has no Transfer Syntax UID (0002,0010)");
  if (cond.bad()) return reject(file, RejectKind::kCorrupt, describe(cond));

  DcmMetaInfo* meta = format.getMetaInfo();
  DcmDataset* data = format.getDataset();
  if (!data) return reject(file, RejectKind::kCorrupt, "no dataset after the meta header");

  const char* charset = nullptr;
  data->findAndGetString(DCM_SpecificCharacterSet, charset);
  CharsetDecoder decoder(charset ? charset : "");
  TextReport text;
  decoder.report_to(&text);

  Instance inst;
  inst.file = file;
  inst.parser = HeaderParser::kDcmtk;
  Dataset& ds = inst.dataset;
  if (meta && !walk_item(*meta, decoder, options, 0, ds, error))
    return reject(file, RejectKind::kCorrupt, error);
  if (!walk_item(*data, decoder, options, 0, ds, error))
    return reject(file, RejectKind::kCorrupt, error);
  text.append_to(inst.warning);

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
    return reject(file, RejectKind::kMediaDirectory,
                  "DICOMDIR: a media directory index, not an image");
  if (inst.sop_instance_uid.empty())
    return reject(file, RejectKind::kIncomplete,
                  "no SOP Instance UID (0008,0018): cannot identify the instance");
  if (inst.study_instance_uid.empty() || inst.series_instance_uid.empty())
    return reject(file, RejectKind::kIncomplete,
                  "no Study or Series Instance UID (0020,000D/000E): cannot place it in a study");
  return std::move(inst);
}
}  // namespace

}  // namespace dicometl::dicom
