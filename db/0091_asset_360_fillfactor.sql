-- create_asset_360 updates every row of asset_360 in place: half of each page left free lets the new
-- version of a row go on its own page, and, when no indexed column changed, into none of the indexes
-- (a HOT update). The table takes twice the pages, a few MB per 10,000 assets. Pages written before
-- this fill up to the new factor as builds move their rows.
alter table asset_360 set (fillfactor = 50);
