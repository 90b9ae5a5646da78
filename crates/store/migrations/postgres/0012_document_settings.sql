-- A unit's document settings: what its reports say about who issues, sends
-- and signs them where the defaults do not fit (see domain DocumentSetting).
-- Every change is audited (`pcmd settings set`).
CREATE TABLE document_setting (
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    key TEXT NOT NULL CHECK (key IN ('issuer_line_1', 'issuer_line_2', 'place', 'number_symbol', 'recipient', 'copies_to',
        'filed_with', 'signer_capacity', 'signer_title', 'signer_name')),
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (unit_id, key)
);
