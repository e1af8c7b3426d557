import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveOptions, type CheckOptions } from '../../src/options.js';
import { resolveTargets } from '../../src/targets/resolve-target.js';
import { repoRoot } from '../helpers/run-cli.js';

const targetsOf = (options: CheckOptions) => resolveTargets(resolveOptions({ cwd: repoRoot, ...options }));
const eventsByTarget = (options: CheckOptions) => Object.fromEntries(targetsOf(options).map((target) => [target.display.split(' ')[0], target.events ?? null]));

describe('functionEvents: events for single functions of a template', () => {
  it('go to the function with that logical ID; the others run the plain events', () => {
    expect(eventsByTarget({ template: 'fixtures/events-project/template.yaml', functionEvents: { ReportsFunction: [{ id: 7 }] } })).toEqual({
      OrdersFunction: null,
      ReportsFunction: [{ id: 7 }],
    });
  });

  it('name a serverless.yml function by its key, a CDK function by its construct path or its logical ID', () => {
    expect(eventsByTarget({ template: 'fixtures/serverless-project/serverless.yml', functionEvents: { orders: [1] } }).orders).toEqual([1]);
    expect(eventsByTarget({ template: 'fixtures/cdk-project/cdk.out/ShopStack.template.json', functionEvents: { 'ShopStack/OrdersFunction': [2] } })['ShopStack/OrdersFunction']).toEqual([2]);
    expect(eventsByTarget({ template: 'fixtures/cdk-project/cdk.out/ShopStack.template.json', functionEvents: { OrdersFunction1B0C6A9E: [3] } })['ShopStack/OrdersFunction']).toEqual([3]);
  });

  it('reject a name the template does not have, listing the ones it has', () => {
    let error: unknown;
    try {
      targetsOf({ template: 'fixtures/events-project/template.yaml', functionEvents: { Order: [{}] } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe("--event Order=…: --template 'fixtures/events-project/template.yaml' has no function 'Order'; its functions: OrdersFunction, ReportsFunction");
  });
});
