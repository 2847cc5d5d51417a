#include "dicometl/dicom/header_stream.hpp"

#include <dcmtk/dcmdata/dcistrma.h>
#include <dcmtk/dcmdata/dcistrmf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "dicometl/model/local_file.hpp"

namespace dicometl::dicom {

namespace {

// Bytes from a descriptor opened by open_for_header(), through a small window: DCMTK asks for a
// few bytes at a time (tags, lengths), so each pread fetches a window and skips move the offset.
class HeaderProducer final : public DcmProducer {
 public:
  explicit HeaderProducer(const std::string& path) {
    std::string error;
    fd_ = open_for_header(path, error);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
      status_ = makeOFCondition(OFM_dcmdata, 18, OF_error, error.c_str());
      return;
    }
    size_ = st.st_size;
  }
  ~HeaderProducer() override {
    if (fd_ >= 0) ::close(fd_);
  }
  HeaderProducer(const HeaderProducer&) = delete;
  HeaderProducer& operator=(const HeaderProducer&) = delete;

  OFBool good() const override { return status_.good(); }
  OFCondition status() const override { return status_; }
  OFBool eos() override { return pos_ >= size_; }
  offile_off_t avail() override { return status_.good() ? size_ - pos_ : 0; }
  offile_off_t read(void* buf, offile_off_t buflen) override {
    auto* out = static_cast<char*>(buf);
    offile_off_t done = 0;
    while (done < buflen && pos_ < size_ && status_.good()) {
      if (pos_ >= win_start_ && pos_ < win_start_ + win_len_) {
        const offile_off_t n = std::min(buflen - done, win_start_ + win_len_ - pos_);
        std::memcpy(out + done, window_ + (pos_ - win_start_), static_cast<std::size_t>(n));
        done += n;
        pos_ += n;
      } else if (!fill()) {
        break;
      }
    }
    return done;
  }
  offile_off_t skip(offile_off_t skiplen) override {
    const offile_off_t n = std::max<offile_off_t>(0, std::min(skiplen, size_ - pos_));
    pos_ += n;
    return n;
  }
  void putback(offile_off_t num) override { pos_ -= std::min(num, pos_); }

 private:
  bool fill() {
    const ssize_t n = ::pread(fd_, window_, sizeof window_, static_cast<off_t>(pos_));
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) {
      // A read error, or the file ended before its size as opened: DCMTK sees the stream end.
      if (n < 0) status_ = makeOFCondition(OFM_dcmdata, 18, OF_error, std::strerror(errno));
      size_ = pos_;
      return false;
    }
    win_start_ = pos_;
    win_len_ = n;
    return true;
  }

  int fd_ = -1;
  OFCondition status_ = EC_Normal;
  offile_off_t size_ = 0, pos_ = 0, win_start_ = 0, win_len_ = 0;
  char window_[8192];
};

class HeaderStream final : public DcmInputStream {
 public:
  // The base class only stores the producer's address (DCMTK's own file stream does the same).
  explicit HeaderStream(const std::string& path)
      : DcmInputStream(&producer_), producer_(path), path_(path) {}
  // Values longer than the load limit are left on disk; DCMTK would reopen the file through
  // this factory to load one, which the bridge never asks for.
  DcmInputStreamFactory* newFactory() const override {
    return new DcmInputFileStreamFactory(path_.c_str(), tell());
  }

 private:
  HeaderProducer producer_;
  std::string path_;
};

}  // namespace

OFCondition load_header(DcmFileFormat& format, const std::string& path, E_FileReadMode mode,
                        Uint32 max_read_length, const DcmTagKey& stop) {
  HeaderStream stream(path);
  OFCondition cond = stream.status();
  if (cond.bad()) return cond;
  if (mode == ERM_dataset) {
    DcmDataset* data = format.getDataset();
    if ((cond = data->clear()).bad()) return cond;
    data->transferInit();
    cond = data->readUntilTag(stream, EXS_Unknown, EGL_noChange, max_read_length, stop);
    data->transferEnd();
    return cond;
  }
  if ((cond = format.clear()).bad()) return cond;
  format.setReadMode(mode);
  format.transferInit();
  cond = format.readUntilTag(stream, EXS_Unknown, EGL_noChange, max_read_length, stop);
  format.transferEnd();
  format.setReadMode(ERM_autoDetect);
  return cond;
}

}  // namespace dicometl::dicom
