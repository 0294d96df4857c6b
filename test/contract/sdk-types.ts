// What the official Node SDK says every Paddle response and webhook payload carries, read from the SDK's own
// `.d.ts` files with the TypeScript compiler API, so the contract moves with the installed SDK and cannot drift
// from it: upgrading @paddle/paddle-node-sdk is enough to check Paddock against the newer shapes.
//
// A property the SDK declares without `?` must be present (its value may still be null where the SDK allows it);
// where the value is an object or an array of objects of another SDK interface, its own required properties are
// checked in turn. Optional properties are checked the same way when Paddock sends them.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const require = createRequire(import.meta.url);
/** The installed SDK's type declarations (`dist/types`). */
export const SDK_TYPES_DIR = join(dirname(dirname(realpathSync(require.resolve('@paddle/paddle-node-sdk')))), 'types');

interface Property {
  name: string;
  required: boolean;
  /** The SDK interface of the value (or of each element when `array`), when it is one; else undefined. */
  shape: (() => Shape | undefined) | undefined;
  array: boolean;
}

interface Shape {
  name: string;
  properties: Property[];
}

/** One required property that a value lacks: where (`details.totals.grand_total_tax`) and whose (`ITransactionTotalsResponse`). */
export interface Missing {
  path: string;
  interfaceName: string;
}

export class SdkTypes {
  private readonly checker: ts.TypeChecker;
  private readonly interfaces = new Map<string, ts.InterfaceDeclaration>();
  private readonly shapes = new Map<ts.Type, Shape>();
  /** Every `Interface.property` a check has required so far (the coverage the contract test reports). */
  readonly checkedProperties = new Set<string>();

  constructor(rootDir: string = SDK_TYPES_DIR) {
    const program = ts.createProgram(
      [join(rootDir, 'types', 'index.d.ts'), join(rootDir, 'notifications', 'index.d.ts')],
      { noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, strictNullChecks: true },
    );
    this.checker = program.getTypeChecker();
    for (const file of program.getSourceFiles()) {
      if (!file.fileName.startsWith(rootDir)) continue;
      ts.forEachChild(file, (node) => {
        if (ts.isInterfaceDeclaration(node)) this.interfaces.set(node.name.text, node);
      });
    }
  }

  /** Whether the SDK declares an interface of this name. */
  has(interfaceName: string): boolean {
    return this.interfaces.has(interfaceName);
  }

  /** Every property the SDK declares for an interface (optional ones too). */
  propertyNames(interfaceName: string): string[] {
    return this.shapeNamed(interfaceName).properties.map((p) => p.name);
  }

  /** The SDK's non-optional properties of an interface, inherited ones included, in declaration order. */
  requiredProperties(interfaceName: string): string[] {
    return this.shapeNamed(interfaceName)
      .properties.filter((p) => p.required)
      .map((p) => p.name);
  }

  /**
   * Every required property `value` lacks, at any depth, as the SDK interface `interfaceName` describes it.
   * Throws when the SDK has no such interface (a renamed interface must fail the test, not pass it).
   */
  missing(value: unknown, interfaceName: string): Missing[] {
    const found: Missing[] = [];
    this.walk(value, this.shapeNamed(interfaceName), '', found);
    return found;
  }

  /**
   * The SDK's event list (`IEvents` in types/events): event type name → the interface of its `data`
   * (`payment_method.saved` → `IPaymentMethodNotificationResponse`).
   */
  eventPayloads(): Map<string, string> {
    const union = this.checker.getDeclaredTypeOfSymbol(this.symbolOf('IEvents', 'type'));
    const payloads = new Map<string, string>();
    for (const member of union.isUnion() ? union.types : [union]) {
      const eventType = this.propertyType(member, 'event_type');
      const data = this.propertyType(member, 'data');
      if (eventType?.isStringLiteral() && data?.symbol) payloads.set(eventType.value, data.symbol.name);
    }
    return payloads;
  }

  private symbolOf(name: string, kind: 'interface' | 'type'): ts.Symbol {
    if (kind === 'interface') {
      const declaration = this.interfaces.get(name);
      const symbol = declaration && this.checker.getSymbolAtLocation(declaration.name);
      if (!symbol) throw new Error(`the Node SDK declares no interface ${name}`);
      return symbol;
    }
    const file = this.program().find((f) => f.fileName.endsWith(join('types', 'events', 'events-response.d.ts')));
    let found: ts.Symbol | undefined;
    if (file) {
      ts.forEachChild(file, (node) => {
        if (ts.isTypeAliasDeclaration(node) && node.name.text === name)
          found = this.checker.getSymbolAtLocation(node.name);
      });
    }
    if (!found) throw new Error(`the Node SDK declares no type ${name}`);
    return found;
  }

  private program(): readonly ts.SourceFile[] {
    return [...this.interfaces.values()].map((declaration) => declaration.getSourceFile());
  }

  private propertyType(type: ts.Type, name: string): ts.Type | undefined {
    const property = type.getProperty(name);
    return property ? this.checker.getTypeOfSymbol(property) : undefined;
  }

  private shapeNamed(name: string): Shape {
    return this.shapeOf(this.checker.getDeclaredTypeOfSymbol(this.symbolOf(name, 'interface')), name);
  }

  private shapeOf(type: ts.Type, name: string): Shape {
    const known = this.shapes.get(type);
    if (known) return known;
    const shape: Shape = { name, properties: [] };
    this.shapes.set(type, shape);
    for (const property of this.checker.getPropertiesOfType(type)) {
      const valueType = nonNullable(this.checker.getTypeOfSymbol(property));
      const array = valueType !== undefined && this.checker.isArrayType(valueType);
      const element = array ? this.checker.getTypeArguments(valueType as ts.TypeReference)[0] : valueType;
      const nested = element && this.interfaceOf(nonNullable(element));
      shape.properties.push({
        name: property.name,
        required: (property.flags & ts.SymbolFlags.Optional) === 0,
        shape: nested ? () => this.shapeOf(nested, nested.symbol.name) : undefined,
        array,
      });
    }
    return shape;
  }

  /** The type when it is one SDK interface with declared properties (not a primitive, enum, union or record). */
  private interfaceOf(type: ts.Type | undefined): ts.Type | undefined {
    if (!type || !(type.flags & ts.TypeFlags.Object) || !type.symbol) return undefined;
    const declared = type.symbol.declarations ?? [];
    if (!declared.some((d) => ts.isInterfaceDeclaration(d) && d.getSourceFile().fileName.startsWith(SDK_TYPES_DIR)))
      return undefined;
    return this.checker.getPropertiesOfType(type).length > 0 ? type : undefined;
  }

  private walk(value: unknown, shape: Shape, path: string, found: Missing[]): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const property of shape.properties) {
      const at = path ? `${path}.${property.name}` : property.name;
      if (property.required) {
        this.checkedProperties.add(`${shape.name}.${property.name}`);
        if (!(property.name in value)) {
          found.push({ path: at, interfaceName: shape.name });
          continue;
        }
      }
      const nested = property.shape?.();
      const child = (value as Record<string, unknown>)[property.name];
      if (!nested || child === null || child === undefined) continue;
      if (property.array && Array.isArray(child))
        child.forEach((element, index) => this.walk(element, nested, `${at}[${index}]`, found));
      else if (!property.array) this.walk(child, nested, at, found);
    }
  }
}

/** The type without `null` and `undefined` (`IFoo | null` → `IFoo`); undefined when nothing else is left. */
function nonNullable(type: ts.Type): ts.Type | undefined {
  if (!type.isUnion()) return type.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined) ? undefined : type;
  const rest = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  return rest.length === 1 ? rest[0] : undefined;
}
