// Reading one file's header with DCMTK. Parses up to Pixel Data and leaves large values on disk.
#include "dicometl/dicom/header_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/oflog/oflog.h>

#include "dicometl/dicom/charset.hpp"
#include "dicometl/dicom/element_walk.hpp"
#include "dicometl/dicom/key_fields.hpp"
#include "dicometl/dicom/sniff.hpp"

namespace dicometl::dicom {

namespace {

constexpr const char* kMediaStorageDirectory = "1.2.840.10008.1.3.10";
// Values above this size stay on disk (DCMTK loads them lazily, and we never ask).
constexpr Uint32 kMaxReadLength = 64 * 1024;

Reject reject(const FileStat& file, RejectKind kind, std::string reason) {
  return Reject{file, kind, std::move(reason)};
}

// Reads the first bytes ourselves: it distinguishes "cannot open" from "not DICOM" with the
// operating system's own words, and lets sniff() turn away non-DICOM files cheaply.
bool read_head(const std::string& path, std::string& head, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  head.resize(132);
  ssize_t got = 0;
  while (got < 132) {
    ssize_t n = ::read(fd, head.data() + got, 132 - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::string("cannot read: ") + std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    got += n;
  }
  ::close(fd);
  head.resize(static_cast<std::size_t>(got));
  return true;
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
  // Quiet DCMTK's own logger: problems are reported per file as values, not as log noise.
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  // Touch the global dictionary once so that worker threads never race to load it.
  (void)dcmDataDict.rdlock();
  dcmDataDict.rdunlock();
}

ReadOutcome read_header(const FileStat& file, const ReadOptions& options) {
  std::string head, error;
  if (!read_head(file.path, head, error)) return reject(file, RejectKind::kUnreadable, error);
  Sniffed sniffed = sniff(head, file.size);
  if (sniffed.layout == FileLayout::kNotDicom)
    return reject(file, RejectKind::kNotDicom, sniffed.reason);

  DcmFileFormat format;
  const E_FileReadMode mode =
      sniffed.layout == FileLayout::kPart10 ? ERM_fileOnly : ERM_dataset;
  OFCondition cond = format.loadFileUntilTag(file.path.c_str(), EXS_Unknown, EGL_noChange,
                                             kMaxReadLength, mode, DCM_PixelData);
  if (cond.bad()) return reject(file, RejectKind::kCorrupt, describe(cond));

  DcmMetaInfo* meta = format.getMetaInfo();
  DcmDataset* data = format.getDataset();
  if (!data) return reject(file, RejectKind::kCorrupt, "no dataset after the meta header");

  const char* media_class = nullptr;
  if (meta && meta->findAndGetString(DCM_MediaStorageSOPClassUID, media_class).good() &&
      media_class && std::strcmp(media_class, kMediaStorageDirectory) == 0)
    return reject(file, RejectKind::kMediaDirectory, "DICOMDIR: a media directory index, not an image");

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
  fill_key_fields(inst);
  if (decoder.has_unknown_terms()) {
    // Kept as an instance: most text is still readable; the catalog says which set was unknown.
  }
  if (inst.sop_instance_uid.empty())
    return reject(file, RejectKind::kIncomplete, "no SOP Instance UID (0008,0018): cannot identify the instance");
  if (inst.study_instance_uid.empty() || inst.series_instance_uid.empty())
    return reject(file, RejectKind::kIncomplete,
                  "no Study or Series Instance UID (0020,000D/000E): cannot place it in a study");
  return inst;
}

}  // namespace dicometl::dicom
