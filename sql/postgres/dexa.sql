-- Values read from DXA report pages by `dicometl dexa`, one row per value (docs/dexa.md).
-- The report module shows them when this table exists.
CREATE TABLE IF NOT EXISTS dexa_value (
  dexa_value_id BIGSERIAL PRIMARY KEY,
  patient_id TEXT,
  exam_date TEXT,
  site TEXT NOT NULL,
  region TEXT NOT NULL,
  measure TEXT NOT NULL,             -- bmd, bmc, area, t_score, z_score, ya_pct, am_pct
  value_as_number DOUBLE PRECISION,
  value_text TEXT,                   -- as read from the page
  unit TEXT,
  qc_status TEXT NOT NULL,           -- ok | flagged | repaired (docs/dexa.md)
  qc_reason TEXT,
  ocr_confidence DOUBLE PRECISION,
  layout TEXT,                       -- hologic | lunar | sr
  duplicate TEXT,                    -- collapsed:N | conflict:N
  source_path TEXT,
  sop_instance_uid TEXT,
  series_instance_uid TEXT,
  page_scan_date TEXT
);
CREATE INDEX IF NOT EXISTS dexa_value_sop ON dexa_value (sop_instance_uid);
