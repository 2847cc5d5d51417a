// C-STORE with DCMTK's DcmSCU. We build the proposals ourselves rather than use DcmStorageSCU:
// it offers uncompressed files in the syntax of its choice (Orthanc then stores a re-encoded
// file) and, in 3.6.7, did not fall back to an uncompressed context for RLE or JPEG files.
// Here each file travels in its own transfer syntax when accepted, decoded otherwise.
#include "dicometl/dicom/store_scu.hpp"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scu.h>
#include <fmt/core.h>

#include <cstdlib>
#include <deque>
#include <mutex>
#include <set>
#include <utility>

#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/model/path_text.hpp"

namespace dicometl::dicom {

namespace {

void register_decoders() { prepare_store_scu(); }

bool is_success(Uint16 status) {
  // 0xB000 coercion, 0xB006 elements discarded, 0xB007 data set does not match SOP class: the
  // server stored the instance with a warning.
  return status == 0x0000 || status == 0xB000 || status == 0xB006 || status == 0xB007;
}


void configure(DcmSCU& scu, const StoreScuOptions& o) {
  scu.setAETitle(o.calling_aet.c_str());
  scu.setPeerAETitle(o.called_aet.c_str());
  scu.setPeerHostName(o.host.c_str());
  scu.setPeerPort(static_cast<Uint16>(o.port));
  scu.setConnectionTimeout(o.timeout_seconds);
  scu.setACSETimeout(static_cast<Uint32>(o.timeout_seconds));
  scu.setDIMSETimeout(static_cast<Uint32>(o.timeout_seconds));
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
}

bool is_rejection(const OFCondition& c) {
  return c == DUL_ASSOCIATIONREJECTED;
}

//! The TCP connection itself failed (refused, no route, timeout): nobody answered at all.
bool is_unreachable(const OFCondition& c) {
  return c.module() == OFM_dcmnet && c.code() == DULC_TCPINITERROR;
}

}  // namespace

void prepare_store_scu() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Debian's DCMTK leaves Nagle's algorithm on unless TCP_NODELAY=1 is in the environment
    // (read at each connect). With it on, each C-STORE waits for the peer's delayed ACK
    // (~40-90 ms per instance, as storescu does); DIMSE messages are sent whole, so nothing is
    // gained by coalescing. A value the user set is kept.
    ::setenv("TCP_NODELAY", "1", 0);
    initialise();  // dictionary + quiet logger
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

namespace {

//! A file loaded for sending (large values stay on disk until written to the network).
struct Loaded {
  std::size_t index;
  DcmFileFormat file;
  std::string sop_class, xfer;
};

bool uncompressed(const std::string& ts) {
  return ts == UID_LittleEndianExplicitTransferSyntax || ts == UID_LittleEndianImplicitTransferSyntax ||
         ts == UID_BigEndianExplicitTransferSyntax;
}

//! Sends `batch` on one association (at most ~120 presentation contexts).
void store_batch(const StoreScuOptions& o, std::deque<Loaded>& batch, std::vector<StoreOutcome>& out) {
  DcmSCU scu;
  configure(scu, o);
  // Per SOP class: one context per transfer syntax the files use (so a file travels exactly as
  // stored), plus one uncompressed context as the fallback for compressed files.
  std::set<std::pair<std::string, std::string>> proposed;
  for (const auto& l : batch) {
    if (proposed.insert({l.sop_class, l.xfer}).second) {
      OFList<OFString> ts;
      ts.push_back(l.xfer.c_str());
      scu.addPresentationContext(l.sop_class.c_str(), ts);
    }
    if ((o.allow_decompression || uncompressed(l.xfer)) && proposed.insert({l.sop_class, ""}).second) {
      OFList<OFString> ts;
      ts.push_back(UID_LittleEndianExplicitTransferSyntax);
      ts.push_back(UID_LittleEndianImplicitTransferSyntax);
      scu.addPresentationContext(l.sop_class.c_str(), ts);
    }
  }
  auto fail_all = [&](std::size_t from, const std::string& why, bool retryable, bool unreachable) {
    for (std::size_t k = from; k < batch.size(); ++k) {
      out[batch[k].index].error = why;
      out[batch[k].index].retryable = retryable;
      out[batch[k].index].unreachable = unreachable;
    }
  };
  OFCondition c = scu.initNetwork();
  if (c.bad()) return fail_all(0, fmt::format("network: {}", c.text()), true, true);
  c = scu.negotiateAssociation();
  if (c.bad()) {
    const bool rejected = is_rejection(c);
    return fail_all(0,
                    fmt::format("association with {}@{}:{} {}: {}", o.called_aet, o.host, o.port,
                                rejected ? "rejected" : "failed", c.text()),
                    !rejected, is_unreachable(c));
  }
  for (std::size_t k = 0; k < batch.size(); ++k) {
    Loaded& l = batch[k];
    StoreOutcome& r = out[l.index];
    DcmDataset* ds = l.file.getDataset();
    std::string net = l.xfer;
    T_ASC_PresentationContextID pc = scu.findPresentationContextID(l.sop_class.c_str(), l.xfer.c_str());
    if (pc == 0) {  // the server refused the file's own syntax: decode to an uncompressed one
      for (const char* ts : {UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax}) {
        pc = scu.findPresentationContextID(l.sop_class.c_str(), ts);
        if (pc) {
          net = ts;
          break;
        }
      }
      if (pc == 0) {
        r.error = fmt::format("not sent: the server accepted neither transfer syntax {} nor an "
                              "uncompressed one for SOP class {}", l.xfer, l.sop_class);
        continue;
      }
      const E_TransferSyntax target = DcmXfer(net.c_str()).getXfer();
      if (ds->chooseRepresentation(target, nullptr).bad() || !ds->canWriteXfer(target)) {
        r.error = fmt::format("not sent: the server takes only uncompressed data and transfer "
                              "syntax {} cannot be decoded here", l.xfer);
        continue;
      }
    }
    Uint16 status = 0;
    c = scu.sendSTORERequest(pc, OFFilename(), ds, status);
    if (c.bad()) {
      fail_all(k, fmt::format("transfer interrupted: {}", c.text()), true, false);
      scu.abortAssociation();
      return;
    }
    r.status = status;
    r.transfer_syntax_uid = net;
    if (is_success(status)) r.stored = true;
    else r.error = fmt::format("C-STORE status 0x{:04X} ({})", status, DU_cstoreStatusString(status));
  }
  scu.releaseAssociation();
}

}  // namespace

std::vector<StoreOutcome> store_files(const StoreScuOptions& options,
                                      const std::vector<StoreItem>& items) {
  register_decoders();
  std::vector<StoreOutcome> out(items.size());
  std::deque<Loaded> batch;  // a deque: DcmFileFormat must not be moved once loaded
  for (std::size_t i = 0; i < items.size(); ++i) {
    batch.emplace_back();
    Loaded& l = batch.back();
    l.index = i;
    OFCondition c = l.file.loadFile(OFFilename(decode_path(items[i].path).c_str()));
    OFString sop, ts;
    if (c.good()) {
      l.file.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sop);
      if (sop.empty()) l.file.getDataset()->findAndGetOFString(DCM_SOPClassUID, sop);
      ts = DcmXfer(l.file.getDataset()->getOriginalXfer()).getXferID();
    }
    if (c.bad() || sop.empty() || ts.empty()) {
      out[i].error = c.bad() ? fmt::format("cannot be sent: {}", c.text())
                             : "cannot be sent: no SOP Class UID or transfer syntax";
      batch.pop_back();
      continue;
    }
    l.sop_class = sop.c_str();
    l.xfer = ts.c_str();
    // Two contexts per file at most: 60 files stay under the 128 an association allows.
    if (batch.size() == 60) {
      store_batch(options, batch, out);
      batch.clear();
    }
  }
  if (!batch.empty()) store_batch(options, batch, out);
  return out;
}

std::string echo(const StoreScuOptions& options) {
  register_decoders();
  DcmSCU scu;
  configure(scu, options);
  OFList<OFString> xfers;
  xfers.push_back(UID_LittleEndianImplicitTransferSyntax);
  scu.addPresentationContext(UID_VerificationSOPClass, xfers);
  OFCondition c = scu.initNetwork();
  if (c.good()) c = scu.negotiateAssociation();
  if (c.good()) c = scu.sendECHORequest(0);
  if (c.bad()) {
    scu.abortAssociation();
    return c.text();
  }
  scu.releaseAssociation();
  return {};
}

}  // namespace dicometl::dicom
