// The European Air Quality Index bands (EEA, 2024 revision) and the µg/m³ per ppb of the gases, as
// apps/citysense-api/airquality/Eaqi.cpp and Concentration.cpp define them: the page colours a live
// reading as the server colours an hour. tests/apps/citysense-api/web/eaqi-bands.js prints what this file says, and
// EaqiScriptTest checks it against the C++ for values on and beside every edge.
(function (exports) {
  'use strict';

  // Band 1 to 6: name and the EEA's colour.
  const bands = [
    { number: 1, name: 'Good', colour: '#50F0E6' },
    { number: 2, name: 'Fair', colour: '#50CCAA' },
    { number: 3, name: 'Moderate', colour: '#F0E641' },
    { number: 4, name: 'Poor', colour: '#FF5050' },
    { number: 5, name: 'Very poor', colour: '#960032' },
    { number: 6, name: 'Extremely poor', colour: '#7D2181' },
  ];

  // The upper edges (µg/m³) of the bands Good to Very poor; a value on an edge belongs to the band below it.
  const edges = { no2: [10, 25, 60, 100, 150], so2: [20, 40, 125, 190, 275] };

  // At 293.15 K and 101.325 kPa (Directive 2008/50/EC, Annex VI).
  const microgramsPerPpb = { no2: 1.9125, so2: 2.6633 };

  /** The band (1 to 6) of a pollutant's value in µg/m³; null for a quantity the index does not use. */
  function pollutantBand(quantity, microgramsPerCubicMetre) {
    const upper = edges[quantity];
    if (!upper || !Number.isFinite(microgramsPerCubicMetre)) return null;
    let band = 1;
    for (const edge of upper) {
      if (microgramsPerCubicMetre <= edge) break;
      band += 1;
    }
    return band;
  }

  /** The band of a reading in its own unit ("ppb" or "ug/m3"); null when the index does not use it. */
  function readingBand(quantity, value, unit) {
    if (unit === 'ppb') {
      const factor = microgramsPerPpb[quantity];
      return factor === undefined ? null : pollutantBand(quantity, value * factor);
    }
    return unit === 'ug/m3' ? pollutantBand(quantity, value) : null;
  }

  /** { number, name, colour } of band 1 to 6. */
  function band(number) {
    return bands[number - 1];
  }

  exports.bands = bands;
  exports.edges = edges;
  exports.microgramsPerPpb = microgramsPerPpb;
  exports.pollutantBand = pollutantBand;
  exports.readingBand = readingBand;
  exports.band = band;
})(typeof module === 'object' ? module.exports : (window.CitysenseEaqi = {}));
