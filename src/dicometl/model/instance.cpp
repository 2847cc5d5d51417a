#include "dicometl/model/instance.hpp"

namespace dicometl {

const char* to_string(RejectKind kind) {
  switch (kind) {
    case RejectKind::kNotDicom: return "not_dicom";
    case RejectKind::kUnreadable: return "unreadable";
    case RejectKind::kCorrupt: return "corrupt";
    case RejectKind::kIncomplete: return "incomplete";
    case RejectKind::kMediaDirectory: return "dicomdir";
  }
  return "unknown";
}

}  // namespace dicometl
