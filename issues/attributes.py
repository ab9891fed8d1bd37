"""Open311 attribute definitions of a category: their shape, checked before they are stored."""
from django.core.exceptions import ValidationError

DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
LIST_DATATYPES = {"singlevaluelist", "multivaluelist"}


def validate_attribute_definitions(value) -> None:
    """Raise ValidationError naming the first attribute definition that does not follow GeoReport v2."""
    if not isinstance(value, list):
        raise ValidationError("attributes must be a list of attribute definitions")
    codes = set()
    for index, item in enumerate(value):
        where = f"attribute {index + 1}"
        if not isinstance(item, dict):
            raise ValidationError(f"{where} must be an object with code, datatype and description")
        code = item.get("code")
        if not isinstance(code, str) or not code:
            raise ValidationError(f"{where} needs a non-empty string 'code'")
        where = f"attribute '{code}'"
        if code in codes:
            raise ValidationError(f"{where} appears twice")
        codes.add(code)
        datatype = item.get("datatype")
        if datatype not in DATATYPES:
            raise ValidationError(f"{where}: datatype must be one of {', '.join(sorted(DATATYPES))}, got {datatype!r}")
        if not isinstance(item.get("description"), str) or not item["description"]:
            raise ValidationError(f"{where} needs a 'description'")
        if not isinstance(item.get("required", False), bool):
            raise ValidationError(f"{where}: 'required' must be true or false")
        if "order" in item and not isinstance(item["order"], int):
            raise ValidationError(f"{where}: 'order' must be an integer")
        values = item.get("values")
        if datatype in LIST_DATATYPES:
            if not isinstance(values, list) or not values:
                raise ValidationError(f"{where}: a {datatype} needs a non-empty 'values' list of {{key, name}}")
            for entry in values:
                if not isinstance(entry, dict) or "key" not in entry or "name" not in entry:
                    raise ValidationError(f"{where}: each value needs a 'key' and a 'name'")
        elif values:
            raise ValidationError(f"{where}: only list datatypes take 'values'")
