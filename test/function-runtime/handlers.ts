// handler.js sources used by the tests (CommonJS, as a Kyma function is written).

/** One handler that behaves by path, so that one worker serves a whole describe block. */
export const SWITCHBOARD = String.raw`
const greet = require('greet'); // resolved from FUNC_HANDLER_DIR/node_modules
module.exports = {
  main: async function (event, context) {
    const req = event.extensions.request;
    switch (req.path) {
      case '/echo': {
        const d = event.data;
        return {
          hasData: 'data' in event,
          dataType: Buffer.isBuffer(d) ? 'buffer' : typeof d,
          data: Buffer.isBuffer(d) ? d.toString('base64') : d,
          ce: Object.fromEntries(Object.entries(event).filter(([k]) => k.startsWith('ce-'))),
          method: req.method,
          isExpressRequest: typeof req.get === 'function' && typeof event.extensions.response.status === 'function',
        };
      }
      case '/context':
        return { context, env: process.env.MY_VAR, greet: greet('kyma'), hasTracer: typeof event.tracer.startSpan === 'function' };
      case '/string': return 'plain text';
      case '/falsy': return undefined;
      case '/zero': return 0;
      case '/custom':
        event.setResponseStatus(201);
        event.setResponseHeader('X-Custom', 'yes');
        event.setResponseContentType('text/csv');
        return 'a,b';
      case '/status-only':
        event.setResponseStatus(202);
        return null;
      case '/throw-string': throw 'bad input';
      case '/throw-error': throw new Error('boom');
      case '/reject': return Promise.reject('rejected text');
      case '/sync-throw-error': { const e = new TypeError('sync'); throw e; }
      case '/emit': {
        const r = await event.emitCloudEvent('order.created.v1', 'myapp', { orderId: 7 }, { eventtypeversion: 'v1' });
        return { status: r.status };
      }
      case '/call-out': {
        // The function's own outgoing calls: built-in fetch and http.get.
        const url = event.data.url;
        await fetch(url + '?via=fetch');
        await new Promise((resolve, reject) =>
          require('node:http').get(url + '?via=http', (res) => { res.resume(); res.on('end', resolve); }).on('error', reject));
        return 'called';
      }
      case '/log':
        console.log('inside request', 42);
        await new Promise((r) => setTimeout(r, 5));
        console.warn('after await');
        return 'logged';
      default:
        return { path: req.path };
    }
  },
};
`;

export const GREET_MODULE = `module.exports = (name) => 'hello ' + name;\n`;
