"use strict";

const Redis = require("ioredis");

if (typeof client === "undefined") {
  const client = new Redis(process.env.REDIS_URL);
}

module.exports.hello = (event, context, callback) => {
  // This will allow us to freeze open connections to a database
  context.callbackWaitsForEmptyEventLoop = false;

  client.get("foo").then((dat, err) => {
    callback(null, { response: dat });
  });
};
