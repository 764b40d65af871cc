-- create_asset_360 looks up each asset's latest close through this index; carrying closing_price in
-- it makes those 10,000+ lookups index-only. Same name, same unique key.
alter table market_data
  drop constraint market_data_asset_id_price_date_key,
  add constraint market_data_asset_id_price_date_key unique (asset_id, price_date) include (closing_price);
