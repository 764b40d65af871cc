-- asset_360_builds gets its own source. A build holds its source's row lock from its first write to
-- its commit; with the build's log under 'build' too, the next build's first statement (recording
-- itself as running) waited on that lock instead of on the build lock, where it says whom it waits for.
insert into data_versions (source, version) values ('builds', 1);

drop trigger asset_360_builds_data_version on asset_360_builds;
create trigger asset_360_builds_data_version
after insert or update or delete or truncate on asset_360_builds
for each statement execute function data_versions_bump('builds');
alter table asset_360_builds enable always trigger asset_360_builds_data_version;
