/**
 * The IDE page's own script, served as /graphiql/ide.js: GraphiQL with a fetcher that posts
 * queries and mutations to /graphql and runs subscriptions over graphql-ws on the same path,
 * each with the credentials of GraphiQL's headers editor (never stored: headers are not
 * persisted). Plain ES2017 for browsers; it reads its defaults from the page.
 */
export const IDE_CLIENT_JS = String.raw`(function () {
  'use strict';
  var defaults = JSON.parse(document.getElementById('ide-defaults').textContent);
  // The page is /graphiql: "graphql" beside it is the API, whatever prefix a proxy adds.
  var httpUrl = new URL('graphql', window.location.href).href;
  var wsUrl = httpUrl.replace(/^http/, 'ws');

  // Whether the operation a request runs is a subscription, from the document's top level
  // (outside braces, parentheses, strings and comments): each "{" there ends a definition's
  // head: "subscription Live", "query Province", "fragment F on T", or nothing (a query).
  function isSubscription(query, operationName) {
    var text = query.replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*/g, ' ');
    var depth = 0, head = '', ops = [];
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === '{' && depth === 0) {
        var words = head.trim().split(/[\s@]+/);
        if (/^(query|mutation|subscription)$/.test(words[0])) ops.push({ type: words[0], name: words[1] });
        else if (words[0] === '') ops.push({ type: 'query' });
        head = '';
      }
      if (c === '{' || c === '(' || c === '[') depth++;
      else if (c === '}' || c === ')' || c === ']') depth--;
      else if (depth === 0) head += c;
    }
    var op = operationName ? ops.filter(function (o) { return o.name === operationName; })[0] : ops[0];
    return !!op && op.type === 'subscription';
  }

  // Authorization or x-api-key from the headers editor, as the gateway reads them.
  function credentialsOf(headers) {
    var out = {};
    Object.keys(headers || {}).forEach(function (k) {
      var v = headers[k];
      if (typeof v !== 'string' || !v) return;
      if (k.toLowerCase() === 'authorization') out.authorization = v;
      if (k.toLowerCase() === 'x-api-key') out['x-api-key'] = v;
    });
    return out;
  }

  // One graphql-ws connection per set of credentials: changing the token opens a new one.
  var wsClients = {};
  function wsClientFor(credentials) {
    var key = JSON.stringify(credentials);
    if (!wsClients[key]) wsClients[key] = graphqlWs.createClient({ url: wsUrl, connectionParams: credentials, lazy: true });
    return wsClients[key];
  }

  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    if (isSubscription(params.query || '', params.operationName)) {
      var client = wsClientFor(credentialsOf(headers));
      return {
        subscribe: function (observer) {
          var dispose = client.subscribe(params, {
            next: function (v) { observer.next(v); },
            error: function (e) { observer.error(e instanceof Error ? e : new Error(e && e.reason ? e.code + ' ' + e.reason : 'The connection failed.')); },
            complete: function () { observer.complete(); },
          });
          return { unsubscribe: dispose };
        },
      };
    }
    var sent = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    Object.keys(headers).forEach(function (k) { if (typeof headers[k] === 'string' && headers[k]) sent[k] = headers[k]; });
    return fetch(httpUrl, { method: 'POST', headers: sent, body: JSON.stringify(params) }).then(function (res) { return res.json(); });
  }

  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaults.query, shouldPersistHeaders: false }),
  );
})();
`;
