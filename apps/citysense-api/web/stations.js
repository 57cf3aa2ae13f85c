// How a station looks on the map, from its properties in /latest.geojson and the live readings seen
// since: grey when stale (it has no reading, or every quantity's latest reading is stale); else the
// colour of its band: the worst band of the NO2 and SO2 readings that arrived live, or else the index of
// its last whole hour; white when it has no index (it measures neither gas); an "incomplete" mark when
// a pollutant's hour is not valid (the index may be too good), unless it is stale anyway.
(function (exports) {
  'use strict';

  const eaqi = typeof module === 'object' ? require('./eaqi.js') : window.CitysenseEaqi;

  const stale = { colour: '#9E9E9E', name: 'Stale: no recent reading' };
  const noIndex = { colour: '#FFFFFF', name: 'No air-quality index' };

  function isStale(properties) {
    const values = Object.values(properties.latest || {});
    return values.length === 0 || values.every((value) => value.stale === true);
  }

  /** { state: 'stale' | 'band' | 'none', colour, name, band (1 to 6 or null), incomplete }. */
  function look(properties, liveBands) {
    if (isStale(properties)) return { state: 'stale', colour: stale.colour, name: stale.name, band: null, incomplete: false };
    const incomplete = Boolean(properties.eaqi && properties.eaqi.incomplete);
    const live = Object.values(liveBands || {}).filter((band) => band !== null);
    const hourly = properties.eaqi && properties.eaqi.band ? properties.eaqi.band.number : null;
    const number = live.length > 0 ? Math.max(...live) : hourly;
    if (number === null) return { state: 'none', colour: noIndex.colour, name: noIndex.name, band: null, incomplete };
    const band = eaqi.band(number);
    return { state: 'band', colour: band.colour, name: band.name, band: number, incomplete };
  }

  exports.stale = stale;
  exports.noIndex = noIndex;
  exports.look = look;
})(typeof module === 'object' ? module.exports : (window.CitysenseStations = {}));
