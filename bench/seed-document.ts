// The seed document the benchmarks make subscriptions with (`POST /test-helpers/seed`): one product, one monthly
// price of $49.00, and `count` customers (a US address each) subscribed to it, paid with the default sandbox card.

/** A seed document of `count` monthly subscriptions; `emailOf(i)` names the i-th customer's email. */
export function monthlySeedDocument(count: number, emailOf: (i: number) => string) {
  const customers: Record<string, unknown> = {};
  const subscriptions: Record<string, unknown> = {};
  for (let i = 0; i < count; i += 1) {
    customers[`c${i}`] = { email: emailOf(i), address: { country_code: 'US', postal_code: '10001' } };
    subscriptions[`s${i}`] = { customer: `c${i}`, items: [{ price: 'monthly', quantity: 1 }] };
  }
  return {
    products: { pro: { name: 'Bench', tax_category: 'standard' } },
    prices: {
      monthly: {
        product: 'pro',
        description: 'Monthly',
        unit_price: { amount: '4900', currency_code: 'USD' },
        billing_cycle: { interval: 'month', frequency: 1 },
      },
    },
    customers,
    subscriptions,
  };
}
