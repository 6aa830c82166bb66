// Form fields built from a JSON Schema (the catalog's request schemas): inputs with the schema's
// limits (min, max, step), selects for enums, checkboxes for booleans, and the defaults filled in.
import { h } from './dom.js';

const fieldId = (prefix, key) => `${prefix}-${key}`;

function limitsText(schema) {
  const parts = [];
  if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(`${schema.minimum} – ${schema.maximum}`);
  else if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  else if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  else if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  return parts.join(' ');
}

/**
 * Fields for each property of an object schema. `defaults` fills them (a missing default leaves the
 * field empty: the API's default applies). Returns `{ el, values(), setDefaults(d) }`; `values()`
 * gives only the fields that hold a value, typed as the schema says.
 */
export function schemaFields(schema, defaults, { prefix, testid }) {
  const fields = [];
  const properties = schema?.properties ?? {};
  for (const [key, prop] of Object.entries(properties)) {
    const id = fieldId(prefix, key);
    let input;
    let read;
    let write;
    if (Array.isArray(prop.enum)) {
      input = h(
        'select',
        { id, name: key, 'data-testid': id },
        h('option', { value: '' }, '(API default)'),
        prop.enum.map((v) => h('option', { value: v }, v)),
      );
      read = () => (input.value === '' ? undefined : input.value);
      write = (v) => {
        input.value = v === undefined ? '' : String(v);
      };
    } else if (prop.type === 'boolean') {
      input = h(
        'select',
        { id, name: key, 'data-testid': id },
        h('option', { value: '' }, '(API default)'),
        h('option', { value: 'true' }, 'yes'),
        h('option', { value: 'false' }, 'no'),
      );
      read = () => (input.value === '' ? undefined : input.value === 'true');
      write = (v) => {
        input.value = v === undefined ? '' : String(Boolean(v));
      };
    } else if (prop.type === 'integer' || prop.type === 'number') {
      input = h('input', {
        id,
        name: key,
        type: 'number',
        inputmode: prop.type === 'integer' ? 'numeric' : 'decimal',
        step: prop.type === 'integer' ? '1' : 'any',
        min: prop.minimum ?? prop.exclusiveMinimum,
        max: prop.maximum,
        placeholder: 'API default',
        'data-testid': id,
      });
      read = () => (input.value === '' ? undefined : Number(input.value));
      write = (v) => {
        input.value = v === undefined || v === null ? '' : String(v);
      };
    } else {
      continue;
    }
    const hint = [limitsText(prop), prop.description].filter(Boolean).join(' · ');
    fields.push({
      key,
      read,
      write,
      valid: () => input.checkValidity(),
      el: h(
        'label',
        { class: 'field', for: id, title: hint || undefined },
        h('span', null, key),
        input,
        hint ? h('small', { class: 'muted hint' }, hint) : null,
      ),
    });
  }
  const setDefaults = (values) => {
    for (const field of fields) field.write(values?.[field.key]);
  };
  setDefaults(defaults);
  return {
    el: h(
      'div',
      { class: 'form-grid', 'data-testid': testid },
      fields.map((f) => f.el),
    ),
    values() {
      const out = {};
      for (const field of fields) {
        const value = field.read();
        if (value !== undefined && !(typeof value === 'number' && Number.isNaN(value))) out[field.key] = value;
      }
      return out;
    },
    setDefaults,
  };
}
