// Prints what the map's eaqi.js says, for EaqiScriptTest to hold against the C++:
//   node eaqi-bands.js WEB_DIR/eaqi.js QUANTITY:VALUE...
// one line "QUANTITY VALUE BAND COLOUR NAME" per value in µg/m³ (BAND "none" when the index does not use
// the quantity), then "factor QUANTITY µg/m³-per-ppb" for each gas.
'use strict';

const path = require('path');

const [script, ...values] = process.argv.slice(2);
const eaqi = require(path.resolve(script));
for (const given of values) {
  const [quantity, value] = given.split(':');
  const band = eaqi.pollutantBand(quantity, Number(value));
  const description = band === null ? 'none' : `${band} ${eaqi.band(band).colour} ${eaqi.band(band).name}`;
  console.log(`${quantity} ${value} ${description}`);
}
for (const [quantity, factor] of Object.entries(eaqi.microgramsPerPpb)) console.log(`factor ${quantity} ${factor}`);
