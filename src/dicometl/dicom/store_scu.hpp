#pragma once
// DIMSE C-STORE through DCMTK's DcmSCU, behind a plain interface: no DCMTK type crosses
// this header. One StoreScu is one client; use one per thread.
#include <cstdint>
#include <string>
#include <vector>

namespace dicometl::dicom {

struct StoreScuOptions {
  std::string calling_aet = "DICOMETL";  //!< our AE title
  std::string called_aet;                //!< the server's AE title
  std::string host;
  int port = 104;
  int timeout_seconds = 30;  //!< connect, ACSE and DIMSE timeouts
  //! Propose uncompressed syntaxes too and decompress when the server accepts only those.
  bool allow_decompression = true;
};

//! One file to store; UIDs as the catalog knows them.
struct StoreItem {
  std::string path;  //!< catalog text (model/path_text.hpp)
  std::string sop_instance_uid;
};

struct StoreOutcome {
  bool stored = false;       //!< the server answered success (or a warning)
  bool retryable = false;    //!< failed for a reason another association may not meet (network)
  bool unreachable = false;  //!< no association: the peer could not be reached (not a rejection)
  std::uint16_t status = 0;  //!< DIMSE status of the C-STORE response, when one came
  std::string transfer_syntax_uid;  //!< the syntax it travelled in (differs when decompressed)
  std::string error;                //!< why it failed; empty when stored
};

//! Sends `items` on one association per 60 files, proposing for each SOP class the files' own
//! transfer syntaxes plus an uncompressed context; a file whose syntax the server refused is
//! decoded (JPEG, JPEG-LS, RLE; not JPEG 2000) when `allow_decompression`.
//! Returns one outcome per item, in order. Never throws for network or file problems.
std::vector<StoreOutcome> store_files(const StoreScuOptions& options,
                                      const std::vector<StoreItem>& items);

//! Once per process, before threads start: codecs, and TCP_NODELAY for every association (call it
//! before any other thread runs: it sets an environment variable). store_files() calls it too.
void prepare_store_scu();

//! C-ECHO: an empty string when the server answers, else why not.
std::string echo(const StoreScuOptions& options);

}  // namespace dicometl::dicom
