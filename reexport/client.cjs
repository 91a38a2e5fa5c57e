// `require('flowstate/client')`: the SDK, which lives in its own package.
module.exports = require('@flowstate/client');
