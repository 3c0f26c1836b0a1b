-- ---------------------------------------------------------------------------
-- foreign_key_enforced(): whether a foreign key really holds, so a report may
-- rely on it.  data_quality() skips its orphan anti-joins and
-- french_content_performance() counts listeners through the join to users
-- only when the key is validated, immediate and its triggers (and its
-- partitions' cloned triggers) are enabled.
-- ---------------------------------------------------------------------------

-- Whether a validated, immediate, enforced foreign key makes rel.col reference refrel.refcol.
CREATE FUNCTION @extschema@.foreign_key_enforced(
    rel pg_catalog.regclass, col pg_catalog.name, refrel pg_catalog.regclass, refcol pg_catalog.name)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT EXISTS (
        SELECT FROM pg_catalog.pg_constraint c
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attname = col
        JOIN pg_catalog.pg_attribute r ON r.attrelid = c.confrelid AND r.attname = refcol
        WHERE c.contype = 'f' AND c.conrelid = rel AND c.confrelid = refrel
          AND c.conkey = ARRAY[a.attnum] AND c.confkey = ARRAY[r.attnum]
          AND c.convalidated AND NOT c.condeferrable
          -- A disabled (or replica-only) trigger lets orphans in on either side;
          -- on a partitioned table the checks are the partitions' clones of the key.
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_trigger g
                          WHERE g.tgenabled NOT IN ('O', 'A')
                            AND (g.tgconstraint = c.oid
                                 OR g.tgconstraint IN (SELECT k.oid FROM pg_catalog.pg_constraint k
                                                       WHERE k.conparentid = c.oid))));
END;

COMMENT ON FUNCTION @extschema@.foreign_key_enforced(pg_catalog.regclass, pg_catalog.name, pg_catalog.regclass, pg_catalog.name) IS
'Whether a validated, not deferrable foreign key with enabled triggers makes rel.col reference refrel.refcol (data_quality() then skips its anti-joins, french_content_performance() counts listeners through users)';
