#pragma once
// Dataset → the Instance fields people query most. Plain C++, no DCMTK.
#include "dicometl/model/instance.hpp"

namespace dicometl::dicom {

//! Fills the named fields of `inst` from `inst.dataset` (top level only).
void fill_key_fields(Instance& inst);

}  // namespace dicometl::dicom
