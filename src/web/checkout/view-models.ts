// Transaction entity → checkout view models: every amount formatted for the transaction's currency.
import { formatMoney } from '../../billing/currencies.js';
import type { TransactionEntity } from '../../modules/transactions/serialize.js';
import type { CheckoutItemVm, CheckoutTotalsVm } from './views.js';

interface LineItem {
  price_id: string;
  quantity: number;
  tax_rate: string;
  totals: { subtotal: string; total: string };
  product: { name: string };
}

export function itemsVm(transaction: TransactionEntity): CheckoutItemVm[] {
  const lines = (transaction.details.line_items ?? []) as LineItem[];
  const prices = new Map(
    (transaction.items as Array<{ price_id: string; price: { name: string | null; description: string } }>).map(
      (item) => [item.price_id, item.price],
    ),
  );
  return lines.map((line) => ({
    product_name: line.product.name,
    price_description: prices.get(line.price_id)?.name ?? '',
    quantity: line.quantity,
    line_total: formatMoney(line.totals.subtotal, transaction.currency_code),
  }));
}

function percent(rate: string): string {
  return `${Number((Number(rate) * 100).toFixed(4))}%`;
}

export function totalsVm(transaction: TransactionEntity): CheckoutTotalsVm {
  const currency = transaction.currency_code;
  const totals: Record<string, string | null> = { ...transaction.details.totals };
  const taxes = (transaction.details.tax_rates_used ?? []) as Array<{ tax_rate: string; totals: { tax: string } }>;
  const discount = BigInt(totals.discount ?? '0');
  const credit = BigInt(totals.credit ?? '0');
  return {
    subtotal: formatMoney(totals.subtotal ?? '0', currency),
    discount: discount > 0n ? `−${formatMoney(discount, currency)}` : null,
    taxes: taxes
      .filter((t) => BigInt(t.totals.tax) !== 0n)
      .map((t) => ({ label: `Tax (${percent(t.tax_rate)})`, amount: formatMoney(t.totals.tax, currency) })),
    total: formatMoney(totals.total ?? '0', currency),
    credit: credit > 0n ? `−${formatMoney(credit, currency)}` : null,
    amount_due: formatMoney(totals.grand_total ?? totals.balance ?? '0', currency),
  };
}

export function cardDescription(card: { type: string; last4: string } | null | undefined): string | null {
  if (!card) return null;
  const brand = card.type
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  return `${brand} ending in ${card.last4}`;
}
